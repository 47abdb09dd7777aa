/**
 * Ending a run: the job's final state, the search's ledger and the candidate version are one
 * commit, so nothing is ever half-written. A task that had no version yet gets its baseline
 * (the prompt the search started from) recorded as the active version in the same commit, so
 * the active prompt stays servable while the candidate waits for review.
 */
import { newId } from "../core/ids.js";
import { isTerminal, transition } from "../core/job-state.js";
import { Job, PromptVersion } from "../core/records.js";
import type { OptimizeResult } from "./optimize.js";
import { layout } from "../store/layout.js";
import { versionsIn } from "../store/prompt-versions.js";
import type { Store } from "../store/store.js";
import type { JobRef } from "./ports.js";
import type { ShipOutcome } from "./ship.js";

/**
 * @param shipped what the shipper did with the candidate; null when there was nothing to ship
 * @returns the job as it ended (unchanged when it had already ended, e.g. cancelled meanwhile)
 */
export async function finishJob(
  store: Store,
  ref: JobRef,
  result: OptimizeResult,
  shipped: ShipOutcome | null,
  now = new Date(),
): Promise<Job> {
  const { task } = ref;
  const jobId = ref.job.id;
  return store.transact(`Job ${jobId}: ${result.step}`, async (tx) => {
    const path = layout.job(task, jobId);
    const current = (await tx.readJson(path, Job))!;
    if (isTerminal(current.status)) return current;
    if (result.ledger !== null) tx.write(layout.ledger(task, jobId), result.ledger);
    const metadata = { ...(current.job_metadata ?? {}), ...result.metadata };
    // A run that could not do its work (too little data, an evaluator that disagrees with people)
    // is no success: FAILED, with the reason, as the seeds' contract says.
    if (result.verdict === "skipped") {
      const failed = transition(
        current,
        "FAILED",
        {
          progress_step: result.step,
          error_message: result.step,
          job_metadata: { ...metadata, report: result.report },
        },
        now,
      );
      tx.writeJson(path, Job, failed);
      return failed;
    }
    if (!result.candidate || !shipped) {
      const done = transition(
        current,
        "SUCCESS",
        { progress_step: result.step, job_metadata: metadata },
        now,
      );
      tx.writeJson(path, Job, done);
      return done;
    }
    const versions = await versionsIn(tx, task);
    let next = Math.max(0, ...versions.map((v) => v.version_number)) + 1;
    if (!versions.some((v) => v.status === "active")) {
      tx.writeJson(layout.prompt(task, next), PromptVersion, {
        ...version(current, next++, result.candidate.baseline, null, now),
        status: "active",
        optimizer: null,
        job_id: null,
      });
    }
    const candidate = version(current, next, result.candidate.template, result.candidate.score, now);
    tx.writeJson(layout.prompt(task, next), PromptVersion, candidate);
    const withVersion = {
      prompt_version_id: candidate.id,
      job_metadata: { ...metadata, report: result.report },
    };
    // The state machine passes COMPILING on the way to a shipped result.
    const compiling = current.status === "COMPILING" ? current : transition(current, "COMPILING", {}, now);
    const done =
      "failed" in shipped
        ? transition(
            compiling,
            "PR_FAILED",
            {
              ...withVersion,
              error_message: shipped.failed,
              progress_step: "The pull request could not be opened",
            },
            now,
          )
        : transition(
            compiling,
            "SUCCESS",
            { ...withVersion, pr_url: shipped.shipped.url, progress_step: shipped.shipped.step },
            now,
          );
    tx.writeJson(path, Job, done);
    return done;
  });
}

function version(job: Job, number: number, text: string, score: number | null, now: Date): PromptVersion {
  return PromptVersion.parse({
    id: newId(),
    task_id: job.task_id,
    version_number: number,
    prompt_text: text,
    eval_score: score,
    status: "candidate",
    optimizer: "kaizen",
    created_at: now.toISOString(),
    job_id: job.id,
  });
}
