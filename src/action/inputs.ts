/**
 * The Action's inputs, read from the `INPUT_*` environment the runner sets and validated in one
 * place, with messages that name the input and what was wrong.
 */
import { KaizenError } from "../core/errors.js";
import { TASK_NAME_PATTERN } from "../core/task-config-schema.js";

export interface ActionInputs {
  mode: "optimize" | "plan";
  /** Named tasks; empty means every task whose threshold is reached. */
  tasks: string[];
  jobId: string | null;
  openaiApiKey: string | null;
  openaiBaseUrl: string | null;
  githubToken: string;
  models: { teacher: string | null; judge: string | null; student: string | null };
  maxCostUsd: number | null;
  dryRun: boolean;
  force: boolean;
  /** The search's seed; null for the job id. */
  seed: string | null;
}

/** An input that cannot be used; the Action fails with this message before doing anything. */
export class InputError extends KaizenError {
  override name = "InputError";
}

/** Reads an input the way @actions/core does: `INPUT_<NAME>` upper-cased, spaces as `_`, trimmed. */
export function rawInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/**
 * @example
 * const inputs = readInputs(process.env); // InputError: max-cost-usd must be a positive number of US dollars, got "ten"
 */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const get = (name: string) => rawInput(env, name);
  const optional = (name: string) => get(name) || null;

  const mode = get("mode") || "optimize";
  if (mode !== "optimize" && mode !== "plan")
    throw new InputError(`mode must be "optimize" or "plan", got "${mode}"`);

  const tasks = get("task")
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const task of tasks) {
    if (!TASK_NAME_PATTERN.test(task))
      throw new InputError(`task "${task}" is not a valid task name (letters, digits, '_' and '-')`);
  }

  const jobId = optional("job-id");
  if (jobId !== null && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(jobId)) {
    throw new InputError(`job-id must be the id of a Kaizen job (a UUID), got "${jobId}"`);
  }
  if (jobId !== null && tasks.length !== 1)
    throw new InputError(`job-id names one job, so task must name exactly one task (got ${tasks.length})`);

  const rawCost = get("max-cost-usd");
  let maxCostUsd: number | null = null;
  if (rawCost !== "") {
    maxCostUsd = Number(rawCost.replace(/^\$/, ""));
    if (!Number.isFinite(maxCostUsd) || maxCostUsd <= 0)
      throw new InputError(`max-cost-usd must be a positive number of US dollars, got "${rawCost}"`);
  }

  const baseUrl = optional("openai-base-url");
  if (baseUrl !== null && !URL.canParse(baseUrl))
    throw new InputError(`openai-base-url must be a URL such as https://api.openai.com/v1, got "${baseUrl}"`);

  const githubToken = get("github-token");
  if (githubToken === "")
    throw new InputError("github-token is empty: pass ${{ github.token }} or an app token");

  return {
    mode,
    tasks,
    jobId,
    openaiApiKey: optional("openai-api-key"),
    openaiBaseUrl: baseUrl,
    githubToken,
    models: {
      teacher: optional("teacher-model"),
      judge: optional("judge-model"),
      student: optional("student-model"),
    },
    maxCostUsd,
    dryRun: booleanInput(get, "dry-run"),
    force: booleanInput(get, "force"),
    seed: optional("seed"),
  };
}

/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
function booleanInput(get: (name: string) => string, name: string): boolean {
  const value = get(name);
  if (value === "" || ["false", "False", "FALSE"].includes(value)) return false;
  if (["true", "True", "TRUE"].includes(value)) return true;
  throw new InputError(`${name} must be true or false, got "${value}"`);
}
