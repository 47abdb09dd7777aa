/**
 * Creating a job: everything that can be checked is checked before anything is written (the
 * task loads, its prompt file exists, the caller's own preconditions such as a model key), so
 * a run that cannot happen leaves no orphan job and no reset counter. The in-flight check, the
 * reaping of a vanished runner's job and the write are one transaction: two writers racing for
 * a task create one job.
 */
import { KaizenError } from "../core/errors.js";
import { newId, taskId } from "../core/ids.js";
import { GitHubStoreError } from "../store/github-backend.js";
import { isInFlight, transition } from "../core/job-state.js";
import { Job, type TriggeredBy } from "../core/records.js";
import { countUsable, MIN_USABLE, notEnoughData } from "../optimizer/dataset.js";
import { loadTaskForJob } from "./plan.js";
import { layout, parseJobPath } from "../store/layout.js";
import { pruneJobRecords, pruneLedgers } from "../store/retention.js";
import { TaskState, type Store } from "../store/store.js";
import { reapInTransaction } from "./reap.js";
import { DEFAULT_TIMING, type JobTiming } from "./timing.js";

/** The job cannot run (the task's file has errors, its prompt file is missing…); nothing was written. */
export class JobPreconditionError extends KaizenError {
  override name = "JobPreconditionError";
}

/**
 * Too little usable feedback for a search: a job would end at once without doing its work, so
 * none is created (the API answers 422 with how many more entries are needed; the threshold
 * waits for them).
 */
export class NotEnoughDataError extends JobPreconditionError {
  override name = "NotEnoughDataError";
}

/**
 * Refuses a task with too little usable feedback for a search. Callers that would write anything
 * on the way to a job (the API records a task's baseline version) call it first, so a refused
 * request writes nothing.
 * @throws NotEnoughDataError
 */
export async function assertEnoughData(store: Store, task: string): Promise<void> {
  const { usable, total } = await countUsable(store.readFeedback(task));
  if (usable < MIN_USABLE)
    throw new NotEnoughDataError(
      `task ${task} cannot be optimized yet: ${notEnoughData(usable, total)} (log them with the SDK's log_feedback, or \`kaizen feedback import\`)`,
    );
}

export interface CreateRequest {
  /** The repository's id (GitHub) or `local`: task ids derive from it. */
  repoKey: string | number;
  task: string;
  triggeredBy: TriggeredBy;
  /** The runner creating its own job takes it at once (RUNNING), saving a commit. */
  claim?: boolean;
  /** Checks of the caller's own (a model key is set…), run before anything is written. */
  preflight?: () => void | Promise<void>;
  now?: Date;
  timing?: JobTiming;
}

export type CreateOutcome = { created: true; job: Job } | { created: false; inFlight: Job };

/**
 * @example
 * const outcome = await createJob(store, { repoKey: "local", task: "summarize", triggeredBy: "manual" });
 * if (!outcome.created) console.log(`job ${outcome.inFlight.id} is already ${outcome.inFlight.status}`);
 */
export async function createJob(store: Store, request: CreateRequest): Promise<CreateOutcome> {
  try {
    await loadTaskForJob(store, request.task);
    await request.preflight?.();
    await assertEnoughData(store, request.task);
  } catch (error) {
    if (error instanceof JobPreconditionError) throw error;
    if (error instanceof KaizenError && !(error instanceof GitHubStoreError))
      throw new JobPreconditionError(error.message);
    throw error;
  }
  const now = request.now ?? new Date();
  const { task } = request;
  return store.transact(
    `Start optimization of ${task} (${request.triggeredBy})`,
    async (tx): Promise<CreateOutcome> => {
      await reapInTransaction(tx, task, now, request.timing ?? DEFAULT_TIMING);
      const paths = await tx.list(layout.jobsDir(task));
      const earlier: { path: string; job: Job }[] = [];
      for (const path of paths) {
        if (!parseJobPath(path)) continue;
        const existing = await tx.readJson(path, Job);
        if (existing && isInFlight(existing.status)) return { created: false, inFlight: existing };
        if (existing) earlier.push({ path, job: existing });
      }
      const state =
        (await tx.readJson(layout.state(task), TaskState)) ??
        TaskState.parse({ task, created_at: now.toISOString() });
      const pending = Job.parse({
        id: newId(),
        task_id: taskId(request.repoKey, task),
        status: "PENDING",
        triggered_by: request.triggeredBy,
        feedback_count: state.feedback_retained,
        progress_step: "Waiting for a runner",
        created_at: now.toISOString(),
      });
      const job = request.claim ? claimed(pending, now) : pending;
      tx.writeJson(layout.job(task, job.id), Job, job);
      pruneLedgers(tx, paths);
      pruneJobRecords(tx, earlier);
      // The counter restarts when a job starts, so the threshold triggers once per batch of feedback.
      tx.writeJson(layout.state(task), TaskState, {
        ...state,
        feedback_since_optimization: 0,
        last_optimization: now.toISOString(),
      });
      return { created: true, job };
    },
  );
}

/** The job as a runner takes it: RUNNING, with its first heartbeat. */
export function claimed(job: Job, now: Date): Job {
  return transition(
    job,
    "RUNNING",
    {
      progress_step: "Loading the task and its feedback",
      job_metadata: { ...(job.job_metadata ?? {}), heartbeat_at: now.toISOString() },
    },
    now,
  );
}
