/**
 * A claimed job, from start to end, as one short story: run the optimizer, ship the
 * candidate if there is one, finish. The Action, `kaizen optimize` and kaizen serve's worker
 * all call this; none of them has a copy of a step.
 */
import type { Job } from "../core/records.js";
import type { OptimizeResult } from "./optimize.js";
import { keepBetterCandidate } from "./keep-better.js";
import type { Store } from "../store/store.js";
import { finishJob } from "./finish.js";
import type { JobRef, Shipper } from "./ports.js";
import { runJob, type RunOptions } from "./run.js";
import { shipJob, type ShipOutcome } from "./ship.js";

export interface Executed {
  job: Job;
  result: OptimizeResult;
  shipped: ShipOutcome | null;
}

/**
 * @throws the run's error (the job is then FAILED); a refused pull request is not an error
 *   here: the job ends PR_FAILED and `shipped` says why
 * @example
 * const { job, result } = await executeJob(store, claim, { shipper: localBranchShipper(store), run: { endpoint, cacheDir } });
 */
export async function executeJob(
  store: Store,
  ref: JobRef,
  options: { shipper: Shipper; run: RunOptions },
): Promise<Executed> {
  const result = keepBetterCandidate(ref.task, await runJob(store, ref, options.run));
  const shipped = result.candidate ? await shipJob(store, options.shipper, ref, result) : null;
  const job = await finishJob(store, ref, result, shipped);
  return { job, result, shipped };
}
