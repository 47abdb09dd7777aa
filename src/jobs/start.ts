/**
 * Starting a job from the app (the API's optimize, a threshold crossing, the dashboard's box):
 * create it, then have it dispatched. Only the instance whose write landed dispatches.
 */
import type { TriggeredBy } from "../core/records.js";
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
  },
): Promise<CreateOutcome> {
  const outcome = await createJob(store, request);
  if (outcome.created) await dispatcher.dispatch({ task: request.task, job: outcome.job });
  return outcome;
}
