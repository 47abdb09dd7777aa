/** Cancelling a job by hand (`kaizen jobs cancel`, the API): a job not yet finished ends FAILED. */
import { KaizenError, NotFoundError } from "../core/errors.js";
import { isInFlight } from "../core/job-state.js";
import type { Job } from "../core/records.js";
import type { Store } from "../store/store.js";
import { failJob } from "./fail.js";

/** The job had already ended; nothing was changed. */
export class JobAlreadyEndedError extends KaizenError {
  override name = "JobAlreadyEndedError";
  constructor(readonly job: Job) {
    super(`job ${job.id} already ended ${job.status}; only a job not yet finished can be cancelled`);
  }
}

/**
 * The running process (if any) notices at its next heartbeat or stage and stops spending.
 * @param by who cancelled, for the reason: "cancelled by <by>"
 * @example
 * await cancelJob(store, jobId, "octocat");
 */
export async function cancelJob(store: Store, jobId: string, by: string): Promise<Job> {
  const found = await store.getJob(jobId);
  if (!found) throw new NotFoundError(`job ${jobId} not found in ${store.label}`);
  if (!isInFlight(found.job.status)) throw new JobAlreadyEndedError(found.job);
  const job = await failJob(store, jobId, `cancelled by ${by}`);
  if (job.error_message !== `cancelled by ${by}`) throw new JobAlreadyEndedError(job);
  return job;
}
