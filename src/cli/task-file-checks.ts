/**
 * What `kaizen validate` checks beyond the task file's own fields (which the app's check run
 * checks too): that the prompt file exists and its placeholders are ones Kaizen fills, that
 * every model has a price, and that the file is committed where local commands read it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ConfigIssue } from "../core/errors.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { detectPromptFormat, placeholders, readPrompt } from "../render/index.js";
import { LocalGitStore } from "../store/local-git-store.js";
import { pythonPlaceholders } from "./prompt-files.js";
import { priceHint, unpricedModels } from "./unpriced-models.js";

type Issue = Omit<ConfigIssue, "file">;

/** The line and column of a top-level field in the YAML text, for issues about its value. */
function at(text: string, field: string): { line: number; column: number } {
  const index = text.split("\n").findIndex((l) => l.startsWith(`${field}:`));
  return index === -1 ? { line: 1, column: 1 } : { line: index + 1, column: field.length + 3 };
}

export async function promptFileIssues(root: string, config: TaskConfig, text: string): Promise<Issue[]> {
  if (!config.prompt_path) return [];
  const where = { ...at(text, "prompt_path"), field: "prompt_path" };
  const content = await readFile(path.join(root, config.prompt_path), "utf8").catch(() => null);
  if (content === null)
    return [{ ...where, severity: "error", message: `the prompt file ${config.prompt_path} does not exist` }];
  const format = config.prompt_format ?? detectPromptFormat(config.prompt_path, content);
  let template: string;
  try {
    template = readPrompt(content, format);
  } catch (error) {
    return [
      { ...where, severity: "error", message: `cannot be read as ${format}: ${(error as Error).message}` },
    ];
  }
  const python = pythonPlaceholders(template);
  if (placeholders(template).length === 0 && python.length > 0)
    return [
      {
        ...where,
        severity: "warning",
        message: `${config.prompt_path} has Python-style placeholders (${python.map((p) => `{${p}}`).join(", ")}), which Kaizen does not fill: write them as {{name}} (kaizen init --convert-placeholders does it)`,
      },
    ];
  return [];
}

export function priceIssues(config: TaskConfig, text: string, baseURL?: string): Issue[] {
  const unpriced = unpricedModels(config, baseURL);
  if (unpriced.length === 0) return [];
  return [
    { ...at(text, "model_prices"), field: "model_prices", severity: "error", message: priceHint(unpriced) },
  ];
}

/** Whether the file on disk is what the default branch holds: local commands read only that. */
export async function commitIssues(root: string, file: string, text: string): Promise<Issue[]> {
  let store: LocalGitStore;
  try {
    store = await LocalGitStore.open(root);
  } catch {
    return []; // not a git repository: nothing reads a default branch here
  }
  const branch = await store.defaultBranch();
  const committed = await store.readRepoFile(
    path.relative(root, path.resolve(root, file)).split(path.sep).join("/"),
  );
  if (committed === text) return [];
  const why = `kaizen serve, optimize and status read task files from the branch ${branch}, so they`;
  return [
    {
      line: 1,
      column: 1,
      field: "(file)",
      severity: "warning",
      message:
        committed === null
          ? `is not committed on ${branch}: ${why} do not see this task yet; commit it`
          : `has changes not committed on ${branch}: ${why} still use the committed version; commit them`,
    },
  ];
}
