/**
 * The records of Kaizen's wire contract, one zod schema each. Field names follow the seeds
 * (snake_case). Reading is lenient (unknown fields are dropped, as the seeds promise: a newer
 * server never breaks an older client); writing goes through the same schemas, so a field is
 * added in exactly one place.
 */
import { z } from "zod";
import { INPUT_NAME } from "./baseline-prompt.js";
import { TaskConfig, TaskConfigFields } from "./task-config-schema.js";

/** Any 8-4-4-4-12 hex id. Lenient on purpose: the seeds' examples are not all RFC 9562 ids. */
export const Id = z.guid();
/** Timestamps travel as ISO 8601 strings in UTC, as the seeds' examples show. */
export const Timestamp = z.iso.datetime({ offset: true });
export const Score = z.number().min(0).max(1);
const Json = z.record(z.string(), z.unknown());

export const JOB_STATUSES = [
  "PENDING",
  "RUNNING",
  "EVALUATING",
  "COMPILING",
  "SUCCESS",
  "FAILED",
  "PR_FAILED",
] as const;
/** `FAILURE` is what the seeds' Python clients call `FAILED`; it is read as a synonym. */
export const JobStatus = z.preprocess((v) => (v === "FAILURE" ? "FAILED" : v), z.enum(JOB_STATUSES));
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TRIGGERS = ["auto_threshold", "api_on_demand", "schedule", "manual"] as const;
export const TriggeredBy = z.enum(TRIGGERS);
export type TriggeredBy = z.infer<typeof TriggeredBy>;

export const PROMPT_STATUSES = ["active", "candidate", "archived"] as const;
export const PromptStatus = z.enum(PROMPT_STATUSES);

/** A task as the API shows it: its configuration plus what Kaizen derived from its data. */
export const Task = z.object({
  id: Id,
  ...TaskConfigFields,
  created_at: Timestamp,
  feedback_count: z.number().int().nonnegative().default(0),
  last_optimization: Timestamp.nullable().default(null),
  active_prompt_score: z.number().nullable().default(null),
  threshold_progress: z.string().default("0/50"),
});
export type Task = z.infer<typeof Task>;

/**
 * What a client sends to create a task: its configuration, and either its prompt or the names
 * of its inputs, from which (with the description) the baseline prompt is made. Without a
 * `prompt_path` the prompt lives in `prompts/<name>.md`.
 */
export const CreateTaskInput = TaskConfig.extend({
  prompt: z
    .string()
    .min(1)
    .optional()
    .describe("The baseline prompt, written to `prompt_path` (a new file: 409 if it exists)."),
  inputs: z
    .array(
      z.string().regex(INPUT_NAME, "must be a placeholder name: a letter or '_', then letters, digits, '_'"),
    )
    .min(1)
    .refine((names) => new Set(names).size === names.length, "must not name an input twice")
    .optional()
    .describe(
      "Without `prompt`: the names of the task's inputs (the keys of feedback's `inputs`), one `{{placeholder}}` each in the baseline prompt made from the description (default: `input`).",
    ),
});
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;

/** What a client sends to log feedback; `id` is optional and makes a retry harmless. */
export const FeedbackInput = z.object({
  id: Id.optional(),
  task_id: z.string().min(1),
  inputs: Json.nullable().default(null),
  output: z.string().nullable().default(null),
  score: Score.nullable().default(null),
  source: z.string().max(200).nullable().default("sdk"),
  metadata: Json.nullable().default(null),
  /** The prompt version that produced the output (the canary tallies entries by it). */
  prompt_version_id: Id.nullable().default(null),
});
export type FeedbackInput = z.input<typeof FeedbackInput>;

export const FeedbackResult = z.object({
  id: Id,
  task_id: Id,
  inputs: Json.nullable().default(null),
  output: z.string().nullable().default(null),
  score: Score.nullable().default(null),
  source: z.string().nullable().default(null),
  metadata: Json.nullable().default(null),
  /**
   * The prompt version that produced the output (the canary tallies entries by it). Optional in
   * the type: records stored before the canary have none.
   */
  prompt_version_id: Id.nullable().optional(),
  created_at: Timestamp,
});
export type FeedbackResult = z.infer<typeof FeedbackResult>;

export const PromptVersion = z.object({
  id: Id,
  task_id: Id,
  version_number: z.number().int().positive(),
  prompt_text: z.string().nullable().default(null),
  eval_score: z.number().nullable().default(null),
  status: PromptStatus,
  optimizer: z.string().nullable().default(null),
  dspy_version: z.string().nullable().default(null),
  created_at: Timestamp,
  /** The job that produced this version; null for a baseline. */
  job_id: Id.nullable().default(null),
});
export type PromptVersion = z.infer<typeof PromptVersion>;

export const Job = z.object({
  id: Id,
  task_id: Id,
  prompt_version_id: Id.nullable().default(null),
  status: JobStatus,
  triggered_by: TriggeredBy.nullable().default(null),
  feedback_count: z.number().int().nonnegative().nullable().default(null),
  pr_url: z.string().nullable().default(null),
  error_message: z.string().nullable().default(null),
  job_metadata: Json.nullable().default(null),
  progress_step: z.string().nullable().default(null),
  started_at: Timestamp.nullable().default(null),
  completed_at: Timestamp.nullable().default(null),
  created_at: Timestamp,
});
export type Job = z.infer<typeof Job>;

export const CostEstimate = z.object({
  estimated_cost_usd: z.number().nonnegative(),
  estimated_llm_calls: z.number().int().nonnegative(),
  train_size: z.number().int().nonnegative(),
  val_size: z.number().int().nonnegative(),
  max_trials: z.number().int().nonnegative(),
  teacher_model: z.string(),
  judge_model: z.string(),
});
export type CostEstimate = z.infer<typeof CostEstimate>;

export const OptimizeResult = z.object({
  job: Job,
  cost_estimate: CostEstimate,
  budget_warning: z.string().nullable().default(null),
});
export type OptimizeResult = z.infer<typeof OptimizeResult>;

export const TraceResult = z.object({
  id: Id,
  task_id: Id,
  prompt_text: z.string().nullable().default(null),
  response_text: z.string().nullable().default(null),
  model: z.string().nullable().default(null),
  tokens: z.number().int().nonnegative().nullable().default(null),
  latency_ms: z.number().nonnegative().nullable().default(null),
  source_file: z.string().nullable().default(null),
  /** Line of the call in `source_file`; the seeds have no such field, `instrument()` adds it. */
  source_line: z.number().int().positive().nullable().default(null),
  source_variable: z.string().nullable().default(null),
  score: Score.nullable().default(null),
  scored_by: z.string().nullable().default(null),
  /**
   * The prompt version that produced the output (the canary tallies entries by it). Optional in
   * the type: records stored before the canary have none.
   */
  prompt_version_id: Id.nullable().optional(),
  created_at: Timestamp,
});
export type TraceResult = z.infer<typeof TraceResult>;

/** A trace as a client sends it: the server sets its id (unless given), time and score. */
export const TraceInput = TraceResult.omit({
  id: true,
  task_id: true,
  created_at: true,
  score: true,
  scored_by: true,
}).extend({
  id: Id.optional(),
  task_id: z.string().min(1),
});

/** An API key as stored: only a hash of the secret is kept; the secret is shown once. */
export const ApiKeyRecord = z.object({
  id: Id,
  /** `owner/name` of the one repository this key opens. */
  repo: z.string(),
  /** The first characters of the secret, so a person can tell keys apart. */
  prefix: z.string(),
  /** sha256 of the whole secret, hex. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  created_at: Timestamp,
  created_by: z.string().nullable().default(null),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;
