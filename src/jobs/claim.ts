/**
 * A runner takes a job: the one a dispatch names (it must still be PENDING; a vanished
 * runner's job is reaped first), or a new one it creates for a task. Taking is a compare-and-
 * swap on the job record, so two runners handed the same job run it once.
 */
import { IllegalTransitionError, KaizenError } from "../core/errors.js";
import type { TriggeredBy } from "../core/records.js";
import type { Store } from "../store/store.js";
import { claimed, createJob } from "./create.js";
import type { JobRef } from "./ports.js";
import { reapStale, staleReason } from "./reap.js";
import { DEFAULT_TIMING, type JobTiming } from "./timing.js";

export type ClaimTrigger =
  /** A dispatch that names its job (the app's workflow_dispatch, the local worker). */
  | { jobId: string }
  /** A run that starts its own job (a schedule, a person's run, `kaizen optimize`). */
  | {
      task: string;
      repoKey: string | number;
      triggeredBy: TriggeredBy;
      preflight?: () => void | Promise<void>;
    };

export type Claim = ({ claimed: true } & JobRef) | { claimed: false; task: string; reason: string };

/**
 * @example
 * const claim = await claimJob(store, { jobId });
 * if (claim.claimed) await executeJob(store, claim, { shipper, optimizer });
 */
export async function claimJob(
  store: Store,
  trigger: ClaimTrigger,
  options: { now?: Date; timing?: JobTiming } = {},
): Promise<Claim> {
  const now = options.now ?? new Date();
  const timing = options.timing ?? DEFAULT_TIMING;
  if ("jobId" in trigger) {
    const found = await store.getJob(trigger.jobId);
    if (!found) throw new KaizenError(`job ${trigger.jobId} does not exist in ${store.label}`);
    // A job whose runner vanished is failed (with the reason) rather than run a second time.
    if (staleReason(found.job, now, timing)) await reapStale(store, { task: found.task, now, timing });
    try {
      const job = await store.updateJob(
        trigger.jobId,
        (j) => claimed(j, now),
        `Job ${trigger.jobId}: RUNNING (claimed)`,
      );
      return { claimed: true, task: found.task, job };
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      const current = (await store.getJob(trigger.jobId))!.job;
      return {
        claimed: false,
        task: found.task,
        reason: `job ${current.id} is already ${current.status}${current.error_message ? ` (${current.error_message})` : ""}`,
      };
    }
  }
  const outcome = await createJob(store, { ...trigger, claim: true, now, timing });
  if (!outcome.created)
    return {
      claimed: false,
      task: trigger.task,
      reason: `job ${outcome.inFlight.id} is already ${outcome.inFlight.status}`,
    };
  return { claimed: true, task: trigger.task, job: outcome.job };
}
