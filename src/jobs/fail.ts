/**
 * Ending a job FAILED with its reason: what a crashed or cancelled run, `kaizen jobs cancel` and
 * the Action's post step all do. Its own module because the post step needs only this, not the
 * optimizer that the rest of a job's run loads.
 */
import { isInFlight, transition } from "../core/job-state.js";
import type { Job } from "../core/records.js";
import type { Store } from "../store/store.js";

/** Ends a job FAILED with the reason, unless it already ended (then it is returned as it is). */
export function failJob(store: Store, jobId: string, reason: string, now = new Date()): Promise<Job> {
  return store.updateJob(
    jobId,
    (j) =>
      isInFlight(j.status)
        ? transition(j, "FAILED", { error_message: reason, progress_step: "Failed" }, now)
        : j,
    `Job ${jobId}: FAILED`,
  );
}
