/**
 * What `kaizen init` offers as the prompt file: files of the repository that look like prompts
 * (a `prompt` in their path, a template extension, or `{{placeholders}}` inside), tracked or
 * not, ignoring what git ignores and Kaizen's own files.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const TEXT_EXTENSIONS =
  /\.(md|markdown|mdx|txt|prompt|j2|jinja|jinja2|tmpl|hbs|mustache|ya?ml|json|py|ts|mts|js|mjs)$/i;
const TEMPLATE_EXTENSIONS = /\.(prompt|j2|jinja|jinja2|tmpl|hbs|mustache)$/i;
const SKIPPED =
  /(^|\/)(node_modules|\.git|\.kaizen|\.github|dist|build|coverage|\.venv|venv|__pycache__)(\/|$)/;
const MAX_FILES = 2_000;
const MAX_BYTES = 200_000;
export const MAX_SHOWN = 15;

/** Python's `{name}` (and not `{{name}}`): the placeholders of str.format and f-strings. */
export const PYTHON_PLACEHOLDER = /(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})/g;

/** The distinct Python-style placeholder names of a template. */
export function pythonPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PYTHON_PLACEHOLDER)].map((m) => m[1]!))];
}

/** Files that look like prompts, best guesses first (a `prompt` in the path), then by path. */
export async function findPromptFiles(root: string): Promise<string[]> {
  const files = (await gitFiles(root)) ?? (await walk(root));
  const found: { file: string; rank: number }[] = [];
  for (const file of files.filter((f) => TEXT_EXTENSIONS.test(f) && !SKIPPED.test(f)).slice(0, MAX_FILES)) {
    const named = /prompt/i.test(file) || TEMPLATE_EXTENSIONS.test(file);
    if (named) {
      found.push({ file, rank: 0 });
      continue;
    }
    const full = path.join(root, file);
    const size = await stat(full).then(
      (s) => s.size,
      () => Infinity,
    );
    if (size > MAX_BYTES) continue;
    const text = await readFile(full, "utf8").catch(() => "");
    if (/\{\{\s*[A-Za-z_][\w.]*\s*\}\}/.test(text)) found.push({ file, rank: 1 });
  }
  return found.sort((a, b) => a.rank - b.rank || a.file.localeCompare(b.file)).map((f) => f.file);
}

async function gitFiles(root: string): Promise<string[] | null> {
  try {
    const { stdout } = await promisify(execFile)(
      "git",
      ["ls-files", "--cached", "--others", "--exclude-standard", "-z"],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout.split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

async function walk(root: string, dir = "", depth = 0): Promise<string[]> {
  if (depth > 5) return [];
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (SKIPPED.test(relative)) continue;
    if (entry.isDirectory()) files.push(...(await walk(root, relative, depth + 1)));
    else if (entry.isFile()) files.push(relative);
    if (files.length > MAX_FILES) break;
  }
  return files;
}
