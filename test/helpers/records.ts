/** Records for store tests: valid, distinct, with time-ordered ids. */
import { newId, taskId } from "../../src/core/ids.js";
import type { FeedbackResult, Job, TraceResult } from "../../src/core/records.js";

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
