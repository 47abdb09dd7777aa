/**
 * Starting a job from the app (the API's optimize, a threshold crossing, the dashboard's box):
 * create it, then have it dispatched. Only the instance whose write landed dispatches.
 */
import type { Job, TriggeredBy } from "../core/records.js";
import type { Store } from "../store/store.js";
import { createJob, type CreateOutcome } from "./create.js";
import type { Dispatcher } from "./ports.js";
import type { JobTiming } from "./timing.js";

export async function startJob(
  store: Store,
  dispatcher: Dispatcher,
  request: {
    repoKey: string | number;
    task: string;
    triggeredBy: TriggeredBy;
    now?: Date;
    timing?: JobTiming;
    /** Told the job as soon as it is written, before it is dispatched. */
    onCreated?: (job: Job) => void;
  },
): Promise<CreateOutcome> {
  const outcome = await createJob(store, request);
  if (outcome.created) {
    request.onCreated?.(outcome.job);
    await dispatcher.dispatch({ task: request.task, job: outcome.job });
  }
  return outcome;
}
