import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  modelPricesYaml,
  modelsOf,
  resolvePrices
} from "./chunk-EHX4BM5X.js";

// src/cli/prompt-files.ts
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
var TEXT_EXTENSIONS = /\.(md|markdown|mdx|txt|prompt|j2|jinja|jinja2|tmpl|hbs|mustache|ya?ml|json|py|ts|mts|js|mjs)$/i;
var TEMPLATE_EXTENSIONS = /\.(prompt|j2|jinja|jinja2|tmpl|hbs|mustache)$/i;
var SKIPPED = /(^|\/)(node_modules|\.git|\.kaizen|\.github|dist|build|coverage|\.venv|venv|__pycache__)(\/|$)/;
var MAX_FILES = 2e3;
var MAX_BYTES = 2e5;
var MAX_SHOWN = 15;
var PYTHON_PLACEHOLDER = /(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})/g;
function pythonPlaceholders(template) {
  return [...new Set([...template.matchAll(PYTHON_PLACEHOLDER)].map((m) => m[1]))];
}
async function findPromptFiles(root) {
  const files = await gitFiles(root) ?? await walk(root);
  const found = [];
  for (const file of files.filter((f) => TEXT_EXTENSIONS.test(f) && !SKIPPED.test(f)).slice(0, MAX_FILES)) {
    const named = /prompt/i.test(file) || TEMPLATE_EXTENSIONS.test(file);
    if (named) {
      found.push({ file, rank: 0 });
      continue;
    }
    const full = path.join(root, file);
    const size = await stat(full).then(
      (s) => s.size,
      () => Infinity
    );
    if (size > MAX_BYTES) continue;
    const text = await readFile(full, "utf8").catch(() => "");
    if (/\{\{\s*[A-Za-z_][\w.]*\s*\}\}/.test(text)) found.push({ file, rank: 1 });
  }
  return found.sort((a, b) => a.rank - b.rank || a.file.localeCompare(b.file)).map((f) => f.file);
}
async function gitFiles(root) {
  try {
    const { stdout } = await promisify(execFile)(
      "git",
      ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 }
    );
    return stdout.split("\0").filter(Boolean);
  } catch {
    return null;
  }
}
async function walk(root, dir = "", depth = 0) {
  if (depth > 5) return [];
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  const files = [];
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (SKIPPED.test(relative)) continue;
    if (entry.isDirectory()) files.push(...await walk(root, relative, depth + 1));
    else if (entry.isFile()) files.push(relative);
    if (files.length > MAX_FILES) break;
  }
  return files;
}

// src/cli/unpriced-models.ts
function unpricedModels(config, baseURL) {
  return resolvePrices(Object.values(modelsOf(config)), config.model_prices, baseURL).unknown;
}
function priceHint(models) {
  return `no price known for ${models.map((m) => `"${m}"`).join(", ")}: a run would be refused before it starts. Add ${models.length > 1 ? "them" : "it"} to the task file (USD per million tokens, from your provider's price list), e.g.
${modelPricesYaml(models)}`;
}

export {
  MAX_SHOWN,
  PYTHON_PLACEHOLDER,
  pythonPlaceholders,
  findPromptFiles,
  unpricedModels,
  priceHint
};
