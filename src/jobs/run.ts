/**
 * Running a claimed job: the optimizer, with each stage written to the job record and a
 * heartbeat in between, so a watcher sees progress and a vanished runner is noticed. A run
 * that throws, or is cancelled (Ctrl-C, `kaizen jobs cancel`), ends the job FAILED with the
 * reason. The result is not written here: `finishJob` stores it with the job's end, in one
 * commit, after the shipper delivered it.
 */
import { failJob } from "./fail.js";
import { repeatAfterEach } from "./repeat.js";
import { isInFlight, isTerminal, transition } from "../core/job-state.js";
import type { Job } from "../core/records.js";
import type { OptimizeResult } from "./optimize.js";
import { optimizeTask, type OptimizeTaskOptions } from "./optimize.js";
import type { Store } from "../store/store.js";
import type { JobRef } from "./ports.js";
import { DEFAULT_TIMING, type JobTiming } from "./timing.js";

/** What the optimizer needs besides the job: the model endpoint, the cache, the limits. */
export type RunOptions = Omit<OptimizeTaskOptions, "seed" | "onStage" | "signal"> & {
  /** Defaults to the job id; pass an earlier run's to replay it from the cache. */
  seed?: string;
  /** Aborting it cancels the job (Ctrl-C). */
  signal?: AbortSignal;
  timing?: JobTiming;
  now?: () => Date;
  /** The CI run this job runs in, linked from the report (default: the run the dispatch recorded). */
  runUrl?: string | null;
};

/** The run was cancelled; the job is already FAILED with the reason. */
export class JobCancelledError extends Error {
  override name = "JobCancelledError";
}

/** @throws the optimizer's error, with the job (now FAILED) attached as `job` */
export async function runJob(store: Store, ref: JobRef, options: RunOptions): Promise<OptimizeResult> {
  const { job } = ref;
  const now = options.now ?? (() => new Date());
  const cancelled = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, cancelled.signal]) : cancelled.signal;
  const beat = (j: Job) => ({ ...(j.job_metadata ?? {}), heartbeat_at: now().toISOString() });
  const stopHeartbeat = repeatAfterEach((options.timing ?? DEFAULT_TIMING).heartbeatMs, () =>
    store
      .updateJob(
        job.id,
        (j) => (isInFlight(j.status) ? { ...j, job_metadata: beat(j) } : j),
        `Job ${job.id}: heartbeat`,
      )
      // Someone cancelled the job (its record says so): stop spending at the next step.
      .then((j) =>
        isTerminal(j.status)
          ? cancelled.abort(new JobCancelledError(j.error_message ?? "cancelled"))
          : undefined,
      )
      .catch(() => {}),
  );
  try {
    return await optimizeTask(store, ref.task, {
      ...options,
      seed: options.seed ?? job.id,
      signal,
      footer: {
        jobId: job.id,
        runUrl:
          options.runUrl ??
          (typeof job.job_metadata?.workflow_run_url === "string" ? job.job_metadata.workflow_run_url : null),
      },
      onStage: async (stage, step, metadata) => {
        const status = stage === "evaluating" ? "EVALUATING" : "COMPILING";
        await store.updateJob(
          job.id,
          (j) =>
            transition(
              j,
              status,
              { progress_step: step, job_metadata: { ...beat(j), ...(metadata ?? {}) } },
              now(),
            ),
          `Job ${job.id}: ${status} (${step})`,
        );
      },
    });
  } catch (error) {
    const reason = signal.aborted
      ? abortReason(signal)
      : error instanceof Error
        ? error.message
        : String(error);
    const failed = await failJob(store, job.id, reason, now());
    const thrown = signal.aborted
      ? new JobCancelledError(reason)
      : error instanceof Error
        ? error
        : new Error(reason);
    throw Object.assign(thrown, { job: failed });
  } finally {
    stopHeartbeat();
  }
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason.message;
  return typeof reason === "string" ? reason : "cancelled";
}
