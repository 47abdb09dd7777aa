/**
 * A job whose runner vanished (a killed process, a cancelled workflow the post step never
 * saw) must not block its task forever: whichever process next looks at the task's jobs fails
 * it, with the reason, once its heartbeat is older than the stated time.
 */
import { isInFlight, transition } from "../core/job-state.js";
import { Job } from "../core/records.js";
import { layout, parseJobPath } from "../store/layout.js";
import type { DataTransaction, Store } from "../store/store.js";
import { DEFAULT_TIMING, type JobTiming } from "./timing.js";

/** When the job last showed a sign of life. */
export function lastSignOfLife(job: Job): string {
  const beat = job.job_metadata?.heartbeat_at;
  return typeof beat === "string" ? beat : (job.started_at ?? job.created_at);
}

/** Why the job is stale, or null while its runner may still be alive. */
export function staleReason(job: Job, now: Date, timing: JobTiming = DEFAULT_TIMING): string | null {
  if (!isInFlight(job.status)) return null;
  const since = lastSignOfLife(job);
  const silentMs = now.getTime() - Date.parse(since);
  if (job.status === "PENDING") {
    return silentMs > timing.pendingStaleAfterMs
      ? `no runner claimed the job within ${minutes(timing.pendingStaleAfterMs)} of its creation (${since})`
      : null;
  }
  return silentMs > timing.staleAfterMs
    ? `the runner vanished: no heartbeat for ${minutes(timing.staleAfterMs)} while ${job.status} (last at ${since})`
    : null;
}

const minutes = (ms: number) =>
  ms >= 3_600_000
    ? `${Math.round(ms / 3_600_000)} hours`
    : ms >= 60_000
      ? `${Math.round(ms / 60_000)} minutes`
      : `${Math.round(ms / 1000)} seconds`;

/** Fails the stale jobs of a task inside a transaction; returns them as written. */
export async function reapInTransaction(
  tx: DataTransaction,
  task: string,
  now: Date,
  timing: JobTiming,
): Promise<Job[]> {
  const reaped: Job[] = [];
  for (const path of await tx.list(layout.jobsDir(task))) {
    if (!parseJobPath(path)) continue;
    const job = await tx.readJson(path, Job);
    const reason = job && staleReason(job, now, timing);
    if (!job || !reason) continue;
    const failed = transition(job, "FAILED", { error_message: reason, progress_step: "Failed" }, now);
    tx.writeJson(path, Job, failed);
    reaped.push(failed);
  }
  return reaped;
}

/**
 * Fails every stale job (of one task, or of all), in one commit; a no-op, with no commit, when
 * none is stale.
 * @example
 * const reaped = await reapStale(store, { task: "summarize" });
 */
export async function reapStale(
  store: Store,
  options: { task?: string; now?: Date; timing?: JobTiming } = {},
): Promise<Job[]> {
  const now = options.now ?? new Date();
  const timing = options.timing ?? DEFAULT_TIMING;
  const jobs = await store.listJobs(options.task);
  if (!jobs.some((j) => staleReason(j, now, timing))) return [];
  const tasks = options.task !== undefined ? [options.task] : await tasksWithJobs(store);
  return store.transact("Fail jobs whose runner vanished", async (tx) => {
    const reaped: Job[] = [];
    for (const task of tasks) reaped.push(...(await reapInTransaction(tx, task, now, timing)));
    return reaped;
  });
}

async function tasksWithJobs(store: Store): Promise<string[]> {
  return store.transact("List tasks with jobs", async (tx) => [
    ...new Set(
      (await tx.list(layout.jobsDir())).map((p) => parseJobPath(p)?.task).filter((t) => t !== undefined),
    ),
  ]);
}
