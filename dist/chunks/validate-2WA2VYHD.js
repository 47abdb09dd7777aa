import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  priceHint,
  pythonPlaceholders,
  unpricedModels
} from "./chunk-JF6KD2HQ.js";
import {
  detectPromptFormat,
  placeholders,
  readPrompt
} from "./chunk-EHX4BM5X.js";
import {
  LocalGitStore
} from "./chunk-HQNAUYHO.js";
import {
  painter
} from "./chunk-WIQSA56B.js";
import {
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import "./chunk-U323PJSG.js";
import {
  TASKS_DIR,
  parseTaskConfig
} from "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import {
  formatConfigIssue
} from "./chunk-4CXYVOQZ.js";

// src/cli/commands/validate.ts
import { readdir, readFile as readFile2 } from "node:fs/promises";
import path2 from "node:path";

// src/cli/task-file-checks.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
function at(text, field) {
  const index = text.split("\n").findIndex((l) => l.startsWith(`${field}:`));
  return index === -1 ? { line: 1, column: 1 } : { line: index + 1, column: field.length + 3 };
}
async function promptFileIssues(root, config, text) {
  if (!config.prompt_path) return [];
  const where = { ...at(text, "prompt_path"), field: "prompt_path" };
  const content = await readFile(path.join(root, config.prompt_path), "utf8").catch(() => null);
  if (content === null)
    return [{ ...where, severity: "error", message: `the prompt file ${config.prompt_path} does not exist` }];
  const format = config.prompt_format ?? detectPromptFormat(config.prompt_path, content);
  let template;
  try {
    template = readPrompt(content, format);
  } catch (error) {
    return [
      { ...where, severity: "error", message: `cannot be read as ${format}: ${error.message}` }
    ];
  }
  const python = pythonPlaceholders(template);
  if (placeholders(template).length === 0 && python.length > 0)
    return [
      {
        ...where,
        severity: "warning",
        message: `${config.prompt_path} has Python-style placeholders (${python.map((p) => `{${p}}`).join(", ")}), which Kaizen does not fill: write them as {{name}} (kaizen init --convert-placeholders does it)`
      }
    ];
  return [];
}
function priceIssues(config, text, baseURL) {
  const unpriced = unpricedModels(config, baseURL);
  if (unpriced.length === 0) return [];
  return [
    { ...at(text, "model_prices"), field: "model_prices", severity: "error", message: priceHint(unpriced) }
  ];
}
async function commitIssues(root, file, text) {
  let store;
  try {
    store = await LocalGitStore.open(root);
  } catch {
    return [];
  }
  const branch = await store.defaultBranch();
  const committed = await store.readRepoFile(
    path.relative(root, path.resolve(root, file)).split(path.sep).join("/")
  );
  if (committed === text) return [];
  const why = `kaizen serve, optimize and status read task files from the branch ${branch}, so they`;
  return [
    {
      line: 1,
      column: 1,
      field: "(file)",
      severity: "warning",
      message: committed === null ? `is not committed on ${branch}: ${why} do not see this task yet; commit it` : `has changes not committed on ${branch}: ${why} still use the committed version; commit them`
    }
  ];
}

// src/cli/commands/validate.ts
var validateCommand = {
  usage: `Usage: kaizen validate [PATH...] [--json]

Checks task configuration files the way the Kaizen app's check run does, and more: that each
prompt file exists and uses {{placeholders}}, that every model has a price, and that the file is
committed (local commands read tasks from the default branch). With no PATH, checks every
.kaizen/tasks/*.yml and *.yaml of the current directory. Exits 1 when there is no task file or
any file has an error; warnings (such as an unknown, ignored key) do not fail.

Options:
  --json   print the issues as JSON: [{ file, line, column, field, message, severity }]

Example:
  kaizen validate
  kaizen validate .kaizen/tasks/summarize.yml`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: "boolean" } }, true);
    const files = positionals.length > 0 ? positionals : await taskFilesIn(io.cwd);
    if (files.length === 0) {
      if (values.json) io.stdout.write("[]\n");
      io.stderr.write(`No task file in ${TASKS_DIR}/ here: create one with "kaizen init".
`);
      return 1;
    }
    const issues = [];
    for (const file of files) {
      const display = path2.relative(io.cwd, path2.resolve(io.cwd, file)) || file;
      let text;
      try {
        text = await readFile2(path2.resolve(io.cwd, file), "utf8");
      } catch (error) {
        issues.push({
          file: display,
          line: 1,
          column: 1,
          field: "(file)",
          message: `cannot be read: ${error.code ?? String(error)}`,
          severity: "error"
        });
        continue;
      }
      const parsed = parseTaskConfig(text, display);
      issues.push(...parsed.issues);
      const root = repositoryRootOf(io.cwd, file);
      const extra = [
        ...parsed.config ? [
          ...await promptFileIssues(root, parsed.config, text),
          ...priceIssues(parsed.config, text, io.env.OPENAI_BASE_URL)
        ] : [],
        ...await commitIssues(root, file, text)
      ];
      issues.push(...extra.map((issue) => ({ file: display, ...issue })));
    }
    const errors = issues.filter((i) => i.severity === "error").length;
    if (values.json) {
      io.stdout.write(`${JSON.stringify(issues, null, 2)}
`);
    } else {
      const paint = painter(io);
      for (const issue of issues)
        io.stdout.write(
          `${paint(issue.severity === "error" ? "red" : "yellow", formatConfigIssue(issue))}
`
        );
      const warnings = issues.length - errors;
      io.stdout.write(`${files.length} task file(s) checked: ${errors} error(s), ${warnings} warning(s)
`);
    }
    return errors > 0 ? 1 : 0;
  }
};
function repositoryRootOf(cwd, file) {
  const absolute = path2.resolve(cwd, file);
  const marker = `${path2.sep}${TASKS_DIR.split("/").join(path2.sep)}${path2.sep}`;
  const index = absolute.lastIndexOf(marker);
  return index === -1 ? cwd : absolute.slice(0, index);
}
async function taskFilesIn(root) {
  try {
    const names = await readdir(path2.join(root, TASKS_DIR));
    return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path2.join(TASKS_DIR, n));
  } catch {
    return [];
  }
}
export {
  validateCommand
};
