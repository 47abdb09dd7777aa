/**
 * Shipping a run's candidate: the prompt file with the new text goes to the task's branch
 * through the shipper (a pull request on GitHub, the `kaizen/<task>` branch locally), with the
 * report (which carries the score chart) as its description, fitted to GitHub's limit.
 */
import type { OptimizeResult } from "./optimize.js";
import { ISSUE_BODY_LIMIT, reportForGitHub } from "../report/index.js";
import type { Store } from "../store/store.js";
import { ShipError, type JobRef, type Shipped, type Shipper } from "./ports.js";

export type ShipOutcome = { shipped: Shipped } | { failed: string };

export const shipTitle = (task: string) => `Kaizen: better prompt for ${task}`;

/** @returns what the shipper did, or why it refused (the job then ends PR_FAILED) */
export async function shipJob(
  store: Store,
  shipper: Shipper,
  ref: JobRef,
  result: OptimizeResult,
): Promise<ShipOutcome> {
  const candidate = result.candidate;
  if (!candidate) throw new Error("shipJob needs a result with a candidate");
  try {
    const shipped = await shipper.ship({
      task: ref.task,
      jobId: ref.job.id,
      baseBranch: candidate.baseBranch ?? (await store.defaultBranch()),
      files: { [candidate.path]: candidate.fileText },
      title: shipTitle(ref.task),
      body: reportForGitHub(result.report, ISSUE_BODY_LIMIT, ref.job.id),
    });
    return { shipped };
  } catch (error) {
    if (error instanceof ShipError) return { failed: error.message };
    throw error;
  }
}
