/**
 * Starting an optimization from the app (API optimize, threshold): one job in flight per task
 * (store/jobs.ts), and only the instance whose write landed dispatches it.
 */
import type { Job, TriggeredBy } from "../core/records.js";
import { createPendingJob } from "../store/jobs.js";
import type { RepoContext } from "./repo-context.js";

export type StartOutcome = { started: true; job: Job } | { started: false; inFlight: Job };

export async function startJob(ctx: RepoContext, task: string, triggeredBy: TriggeredBy, now = new Date()): Promise<StartOutcome> {
  const outcome = await createPendingJob(ctx.store, ctx.repoKey, task, triggeredBy, now);
  if (!outcome.created) return { started: false, inFlight: outcome.inFlight };
  await ctx.dispatcher.dispatch(task, outcome.job);
  return { started: true, job: outcome.job };
}
