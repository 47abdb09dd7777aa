/**
 * What `kaizen validate` checks beyond the task file's own fields (which the app's check run
 * checks too): that the prompt file exists and its placeholders are ones Kaizen fills, that
 * every model has a price, and that the file is committed where local commands read it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ConfigIssue } from "../core/errors.js";
import { suggestModel } from "../core/prices.js";
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

/**
 * Models without a price. One the catalogue knows by a near name is a typo far more often than an
 * unlisted model: it is reported at the line of the field naming it, with the name meant. The
 * others share one issue with the model_prices to add, at the first field naming one of them.
 */
export function priceIssues(config: TaskConfig, text: string, baseURL?: string): Issue[] {
  const unpriced = unpricedModels(config, baseURL);
  const fields = (["teacher_model", "judge_model", "student_model"] as const).filter((field) =>
    unpriced.includes(config[field] ?? ""),
  );
  const issues: Issue[] = [];
  const unknown: string[] = [];
  for (const model of unpriced) {
    const meant = suggestModel(model);
    const named = fields.filter((field) => config[field] === model);
    if (meant === null || named.length === 0) unknown.push(model);
    else
      for (const field of named)
        issues.push({
          ...at(text, field),
          field,
          severity: "error",
          message: `no price known for "${model}", and no such model in the price catalogue: did you mean ${meant}?`,
        });
  }
  if (unknown.length > 0) {
    const field =
      fields.find((f) => unknown.includes(config[f] ?? "")) ??
      (text.split("\n").some((l) => l.startsWith("model_prices:")) ? "model_prices" : undefined);
    issues.push({
      ...(field ? at(text, field) : { line: 1, column: 1 }),
      field: field ?? "model_prices",
      severity: "error",
      message: priceHint(unknown),
    });
  }
  return issues;
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
