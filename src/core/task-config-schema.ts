/**
 * The configuration of a task: what people write in `.kaizen/tasks/<name>.yml` and what
 * `POST /api/v1/tasks` accepts. The seeds' Task fields that are configuration, plus
 * `student_model` (the model the prompt runs on) and `model_prices` (a task's own price table).
 */
import { z } from "zod";
import { controlCharacterIn, writablePathProblem } from "./git-paths.js";
import { MAX_DEMOS } from "./defaults.js";

/** Task names become path segments on the data branch and branch names (`kaizen/<name>`). */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const TaskName = z
  .string({ error: "expected a string" })
  .regex(
    TASK_NAME_PATTERN,
    "must start with a letter or digit and use only letters, digits, '_' and '-' (at most 100)",
  );

/** Where a task's own file lives on the default branch: `.kaizen/tasks/<name>.yml`. */
export const TASK_FILE = /^\.kaizen\/tasks\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.ya?ml$/;

export const PROMPT_FORMATS = ["text", "markdown", "json", "yaml", "python", "typescript"] as const;
export const PromptFormat = z.enum(PROMPT_FORMATS);
export type PromptFormat = z.infer<typeof PromptFormat>;

export const MODULE_TYPES = ["predict", "chain_of_thought"] as const;

/**
 * Why a prompt path is refused, or null when it is fine. The optimizer writes to this path
 * with a token that can push, and the API writes it for a client: it must stay inside the
 * repository, pass git's checks on every platform, and keep away from git's own files, CI
 * definitions and Kaizen's configuration (the rules live in git-paths.ts).
 */
export function promptPathProblem(path: string): string | null {
  if (path.length === 0) return "must not be empty";
  const control = controlCharacterIn(path);
  if (control) return `must not contain control characters (found ${control})`;
  if (path.split("/").includes("..")) return "must not contain '..'";
  return writablePathProblem(path);
}

export const PromptPath = z.string().superRefine((path, ctx) => {
  const problem = promptPathProblem(path);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const Weight = z.number().positive().default(1);

/** One scoring method; several combine into a weighted mean. */
export const EvaluatorSpec = z.discriminatedUnion("type", [
  z
    .object({ type: z.literal("llm_judge"), weight: Weight, rubric: z.string().optional() })
    .describe(
      "The judge model scores an output in [0, 1] against the rubric, the task description and examples of high- and low-scored feedback.",
    ),
  z
    .object({
      type: z.literal("exact_match"),
      weight: Weight,
      case_sensitive: z.boolean().default(true),
      trim: z.boolean().default(true),
    })
    .describe(
      "1 when the output equals the expected output (`metadata.expected_output`, else a high-scored output for the same inputs), else 0.",
    ),
  z
    .object({
      type: z.literal("contains"),
      weight: Weight,
      value: z.string().optional(),
      case_sensitive: z.boolean().default(false),
    })
    .describe("1 when the output contains `value` (or, without one, the expected output), else 0."),
  z
    .object({
      type: z.literal("regex"),
      weight: Weight,
      pattern: z.string().refine(isValidRegex, "is not a valid regular expression"),
      flags: z
        .string()
        .regex(/^[dgimsuvy]*$/, "may only contain the flags d, g, i, m, s, u, v, y")
        .default(""),
    })
    .describe("1 when the output matches `pattern` (JavaScript syntax, with `flags`), else 0."),
  z
    .object({
      type: z.literal("json_schema"),
      weight: Weight,
      schema: z.record(z.string(), z.unknown()).optional(),
    })
    .describe(
      "1 when the output is JSON valid against `schema` (or the task's `task_schema`), else 0 with the reason.",
    ),
]);
export type EvaluatorSpec = z.infer<typeof EvaluatorSpec>;

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const EvaluatorConfig = z.object({
  /** What a good output is, in the team's words; the judge scores against it. */
  rubric: z.string().optional(),
  evaluators: z
    .array(EvaluatorSpec)
    .min(1)
    .default([{ type: "llm_judge", weight: 1 }]),
});
export type EvaluatorConfig = z.infer<typeof EvaluatorConfig>;

/**
 * What people write for one evaluator, `evaluator_config: {type: exact_match}`, is shorthand for
 * a list of one (a `rubric` beside it stays the config's rubric); a bare list is the list.
 * @example expandEvaluatorShorthand({ type: "exact_match" }) // { evaluators: [{ type: "exact_match" }] }
 */
export function expandEvaluatorShorthand(value: unknown): unknown {
  if (Array.isArray(value)) return { evaluators: value };
  if (value === null || typeof value !== "object" || !("type" in value) || "evaluators" in value)
    return value;
  const { rubric, ...spec } = value as Record<string, unknown>;
  if (spec.type === "llm_judge" && rubric !== undefined) return { evaluators: [{ ...spec, rubric }] };
  return { ...(rubric !== undefined ? { rubric } : {}), evaluators: [spec] };
}

export const ModelPrice = z.object({
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative(),
});

export const CANARY_PROMOTE = ["manual", "auto"] as const;

/**
 * The online canary between the pull request and the merge: `share` of production units get the
 * candidate, and an always-valid sequential test over both arms' scores decides.
 */
export const CanaryConfig = z.object({
  share: z
    .number()
    .gt(0, "must be above 0 (leave `canary` out to run none)")
    .max(0.5, "must be at most 0.5 (the candidate is the minority arm)")
    .default(0.1)
    .describe("The share of units (0 to 0.5) served the candidate while the canary runs."),
  min_samples: z
    .number()
    .int()
    .positive()
    .default(200)
    .describe("Scored entries each arm needs before the canary may promote."),
  max_loss: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe(
      "The canary stops when the candidate is worse than the active version by more than this, with confidence.",
    ),
  promote: z
    .enum(CANARY_PROMOTE)
    .default("manual")
    .describe("`auto`: the app merges the pull request when the canary promotes; `manual`: a person does."),
});
export type CanaryConfig = z.infer<typeof CanaryConfig>;

/** The fields of a task's configuration, shared by the YAML file and the API's Task. */
export const TaskConfigFields = {
  name: TaskName.describe(
    "The task's name: the file's name without `.yml`, the branch `kaizen/<name>` and the SDK's `task` argument.",
  ),
  description: z
    .string()
    .nullable()
    .default(null)
    .describe("What the prompt is for, in a sentence or two; the teacher and the judge read it."),
  task_schema: z
    .record(z.string(), z.unknown())
    .nullable()
    .default(null)
    .describe(
      "A JSON Schema of the output (also accepted as `schema_json`); the `json_schema` evaluator checks outputs against it.",
    ),
  feedback_threshold: z
    .number()
    .int()
    .positive()
    .default(50)
    .describe("Feedback entries since the last optimization that trigger the next one."),
  feedback_retention_limit: z
    .number()
    .int()
    .positive()
    .default(1000)
    .describe("At most this many feedback entries (the newest) are kept on the data branch."),
  evaluator_config: z
    .preprocess(expandEvaluatorShorthand, EvaluatorConfig.nullable())
    .default(null)
    .describe(
      "How outputs are scored: a rubric and a weighted list of evaluators (default: one `llm_judge`); one evaluator may be written alone, `{type: exact_match}`. An unknown key inside it is an error.",
    ),
  teacher_model: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("The model that proposes new prompts (default `gpt-4o`)."),
  judge_model: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("The model that scores outputs for `llm_judge` (default `gpt-4o-mini`)."),
  student_model: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("The model the prompt runs on in production (default `gpt-4o-mini`)."),
  module_type: z
    .enum(MODULE_TYPES)
    .default("predict")
    .describe("`predict` answers directly; `chain_of_thought` reasons first and only the answer is scored."),
  demonstrations: z
    .union([z.literal(false), z.object({ max: z.number().int().min(0).max(MAX_DEMOS) }).strict()])
    .nullable()
    .default(null)
    .describe(
      `Whether the optimizer may quote logged inputs and outputs in the prompt as examples: \`false\` never (instructions only), \`{max: N}\` at most N (0 to ${MAX_DEMOS}); up to ${MAX_DEMOS} when unset. Quoted examples are production data committed to the repository with the prompt file: see docs/optimizer.md on personal data.`,
    ),
  cost_budget: z
    .number()
    .positive()
    .nullable()
    .default(null)
    .describe("The most one optimization may spend on model calls, in US dollars; no limit when unset."),
  github_repo: z
    .string()
    .nullable()
    .default(null)
    .describe("`owner/name` of the repository, when the task is created through the API for another one."),
  github_base_branch: z
    .string()
    .nullable()
    .default(null)
    .describe("The branch prompt pull requests target (default: the repository's default branch)."),
  prompt_path: PromptPath.nullable()
    .default(null)
    .describe(
      "The prompt file, relative to the repository root; never absolute, never with `..`, never git's own files (`.git*`), a CI definition (`.github/`, `.gitlab-ci.yml`, …) or Kaizen's configuration (`.kaizen/`).",
    ),
  prompt_format: PromptFormat.nullable()
    .default(null)
    .describe("How the prompt is stored in `prompt_path` (detected from the file when unset)."),
  model_prices: z
    .record(z.string(), ModelPrice)
    .nullable()
    .default(null)
    .describe(
      "Prices in USD per million tokens, for models the price catalogue (`@pydantic/genai-prices`) does not know, or to override it.",
    ),
  canary: CanaryConfig.nullable()
    .default(null)
    .describe(
      "An online canary before the merge: `{share, min_samples, max_loss, promote}`; none when absent. See docs/canary.md.",
    ),
};

/** Other spellings accepted for a field: the seeds' API calls `task_schema` `schema_json`. */
export const TASK_CONFIG_ALIASES: Readonly<Record<string, keyof typeof TaskConfigFields>> = {
  schema_json: "task_schema",
};

export const TaskConfig = z.object(TaskConfigFields);
export type TaskConfig = z.infer<typeof TaskConfig>;
export type TaskConfigInput = z.input<typeof TaskConfig>;
