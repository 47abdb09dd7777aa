/** Records for store tests: valid, distinct, with time-ordered ids. */
import { newId, taskId } from "../../src/core/ids.js";
import type { CanaryView } from "../../src/core/canary.js";
import type { FeedbackResult, Job, PromptVersion, TraceResult } from "../../src/core/records.js";

export const REPO_ID = 4242;

export function feedback(task: string, n: number, overrides: Partial<FeedbackResult> = {}): FeedbackResult {
  return {
    id: newId(),
    task_id: taskId(REPO_ID, task),
    inputs: { ticket: `ticket number ${n}` },
    output: `summary ${n}`,
    score: (n % 10) / 10,
    source: "sdk",
    metadata: { n },
    created_at: new Date(Date.UTC(2026, 10, 23, 5, 0, 0, n)).toISOString(),
    ...overrides,
  };
}

export function feedbackBatch(task: string, from: number, count: number): FeedbackResult[] {
  return Array.from({ length: count }, (_, i) => feedback(task, from + i));
}

export function trace(task: string, n: number): TraceResult {
  return {
    id: newId(),
    task_id: taskId(REPO_ID, task),
    prompt_text: "Summarize: {{ticket}}",
    response_text: `response ${n}`,
    model: "gpt-4o-mini",
    tokens: 42,
    latency_ms: 120,
    source_file: "app.ts",
    source_line: 10,
    source_variable: null,
    score: null,
    scored_by: null,
    created_at: new Date().toISOString(),
  };
}

export function pendingJob(task: string, overrides: Partial<Job> = {}): Job {
  return {
    id: newId(),
    task_id: taskId(REPO_ID, task),
    prompt_version_id: null,
    status: "PENDING",
    triggered_by: "api_on_demand",
    feedback_count: 0,
    pr_url: null,
    error_message: null,
    job_metadata: null,
    progress_step: null,
    started_at: null,
    completed_at: null,
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Version `n` of a task, as the dashboard and the reports list them (ids fixed by `overrides`). */
export function promptVersion(
  n: number,
  score: number | null,
  status: PromptVersion["status"],
  overrides: Partial<PromptVersion> = {},
): PromptVersion {
  return {
    id: newId(),
    task_id: taskId(REPO_ID, "summarize"),
    version_number: n,
    prompt_text: `v${n}`,
    eval_score: score,
    status,
    optimizer: null,
    dspy_version: null,
    created_at: "2026-11-20T00:00:00.000Z",
    job_id: null,
    ...overrides,
  };
}

/** A canary that stopped `candidateId`: 13 points worse over 420 scored entries. */
export function stoppedCanary(candidateId: string): CanaryView {
  return {
    candidate_version_id: candidateId,
    share: 0,
    arms: { active: { n: 212, mean: 0.74 }, candidate: { n: 208, mean: 0.61 } },
    difference: { estimate: -0.13, low: -0.21, high: -0.06 },
    decision: "stop",
    reason: "the candidate is worse by more than max_loss 0.05",
  };
}
