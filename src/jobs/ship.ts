/**
 * Shipping a run's candidate: the prompt file with the new text goes to the task's branch
 * through the shipper (a pull request on GitHub, the `kaizen/<task>` branch locally), with the
 * report and the task's score history as its description.
 */
import type { PromptVersion } from "../core/records.js";
import { scoreChart } from "../github/dashboard.js";
import type { OptimizeResult } from "../optimizer/pipeline.js";
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
  const versions = await store.listPromptVersions(ref.task);
  const upcoming: PromptVersion = {
    id: ref.job.id,
    task_id: ref.job.task_id,
    version_number: Math.max(0, ...versions.map((v) => v.version_number)) + 1,
    prompt_text: candidate.template,
    eval_score: candidate.score,
    status: "candidate",
    optimizer: "kaizen",
    dspy_version: null,
    created_at: new Date().toISOString(),
    job_id: ref.job.id,
  };
  const chart = scoreChart(ref.task, [upcoming, ...versions]);
  try {
    const shipped = await shipper.ship({
      task: ref.task,
      jobId: ref.job.id,
      baseBranch: candidate.baseBranch ?? (await store.defaultBranch()),
      files: { [candidate.path]: candidate.fileText },
      title: shipTitle(ref.task),
      body: chart ? `${result.report}\n### Score history\n\n${chart}\n` : result.report,
    });
    return { shipped };
  } catch (error) {
    if (error instanceof ShipError) return { failed: error.message };
    throw error;
  }
}
