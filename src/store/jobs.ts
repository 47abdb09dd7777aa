/**
 * Creating an optimization job, written once for the app (API and threshold) and the Action:
 * at most one job of a task is in flight. The check and the write are one transaction, so two
 * writers racing for the same task create one job.
 */
import { newId, taskId } from "../core/ids.js";
import { isInFlight } from "../core/job-state.js";
import { Job, type TriggeredBy } from "../core/records.js";
import { layout, parseJobPath } from "./layout.js";
import { pruneLedgers } from "./retention.js";
import { TaskState, type Store } from "./store.js";

export type CreateOutcome = { created: true; job: Job } | { created: false; inFlight: Job };

export async function createPendingJob(
  store: Store,
  repoKey: string | number,
  task: string,
  triggeredBy: TriggeredBy,
  now = new Date(),
): Promise<CreateOutcome> {
  return store.transact(
    `Start optimization of ${task} (${triggeredBy})`,
    async (tx): Promise<CreateOutcome> => {
      const paths = await tx.list(layout.jobsDir(task));
      for (const path of paths) {
        if (!parseJobPath(path)) continue;
        const existing = await tx.readJson(path, Job);
        if (existing && isInFlight(existing.status)) return { created: false, inFlight: existing };
      }
      const state =
        (await tx.readJson(layout.state(task), TaskState)) ??
        TaskState.parse({ task, created_at: now.toISOString() });
      const job = Job.parse({
        id: newId(),
        task_id: taskId(repoKey, task),
        status: "PENDING",
        triggered_by: triggeredBy,
        feedback_count: state.feedback_retained,
        progress_step: "Waiting for a runner",
        created_at: now.toISOString(),
      });
      tx.writeJson(layout.job(task, job.id), Job, job);
      pruneLedgers(tx, paths);
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
