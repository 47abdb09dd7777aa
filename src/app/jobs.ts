/**
 * Starting an optimization job, written once for the API's optimize and the ingestion's
 * threshold: at most one job of a task is in flight. The check and the write happen in one
 * transaction, so two app instances racing for the same task start one job, and only the
 * instance whose write landed dispatches it.
 */
import { newId, taskId } from "../core/ids.js";
import { isInFlight } from "../core/job-state.js";
import { Job, type TriggeredBy } from "../core/records.js";
import { layout, parseJobPath } from "../store/layout.js";
import { TaskState } from "../store/store.js";
import type { RepoContext } from "./repo-context.js";

export type StartOutcome = { started: true; job: Job } | { started: false; inFlight: Job };

export async function startJob(ctx: RepoContext, task: string, triggeredBy: TriggeredBy, now = new Date()): Promise<StartOutcome> {
  const outcome = await ctx.store.transact(`Start optimization of ${task} (${triggeredBy})`, async (tx): Promise<StartOutcome> => {
    for (const path of await tx.list(layout.jobsDir(task))) {
      if (!parseJobPath(path)) continue;
      const existing = await tx.readJson(path, Job);
      if (existing && isInFlight(existing.status)) return { started: false, inFlight: existing };
    }
    const state = (await tx.readJson(layout.state(task), TaskState)) ?? TaskState.parse({ task, created_at: now.toISOString() });
    const job = Job.parse({
      id: newId(),
      task_id: taskId(ctx.repoKey, task),
      status: "PENDING",
      triggered_by: triggeredBy,
      feedback_count: state.feedback_retained,
      progress_step: "Waiting for a runner",
      created_at: now.toISOString(),
    });
    tx.writeJson(layout.job(task, job.id), Job, job);
    // The counter restarts when a job starts, so the threshold triggers once per batch of feedback.
    tx.writeJson(layout.state(task), TaskState, { ...state, feedback_since_optimization: 0, last_optimization: now.toISOString() });
    return { started: true, job };
  });
  if (outcome.started) await ctx.dispatcher.dispatch(task, outcome.job);
  return outcome;
}
