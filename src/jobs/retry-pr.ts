/**
 * Re-shipping a PR_FAILED job from its stored version, without optimizing again (the API's
 * retry-pr and the dashboard's box): the same shipper, then SUCCESS with the pull request.
 */
import { IllegalTransitionError, KaizenError, NotFoundError } from "../core/errors.js";
import { transition } from "../core/job-state.js";
import type { Job } from "../core/records.js";
import { loadTaskForJob } from "./plan.js";
import { writePrompt } from "../render/index.js";
import type { Store } from "../store/store.js";
import { ShipError, type Shipper } from "./ports.js";
import { shipTitle } from "./ship.js";

/**
 * @throws NotFoundError (job or version gone), IllegalTransitionError (not PR_FAILED),
 *   ShipError (refused again; the job stays PR_FAILED with the new reason)
 */
export async function retryShip(store: Store, shipper: Shipper, jobId: string): Promise<Job> {
  const found = await store.getJob(jobId);
  if (!found) throw new NotFoundError(`job ${jobId} not found`);
  const { task, job } = found;
  if (job.status !== "PR_FAILED") throw new IllegalTransitionError(job.status, "SUCCESS");
  const version = job.prompt_version_id
    ? (await store.listPromptVersions(task)).find((v) => v.id === job.prompt_version_id)
    : undefined;
  if (!version?.prompt_text)
    throw new NotFoundError(`the prompt version of job ${job.id} is gone; run the optimization again`);
  const loaded = await loadTaskForJob(store, task);
  if (!loaded.config.prompt_path) throw new KaizenError(`task ${task} has no prompt_path`);
  try {
    const shipped = await shipper.ship({
      task,
      jobId: job.id,
      baseBranch: loaded.config.github_base_branch ?? (await store.defaultBranch()),
      files: {
        [loaded.config.prompt_path]: writePrompt(loaded.fileText, loaded.format, version.prompt_text),
      },
      title: shipTitle(task),
      body:
        typeof job.job_metadata?.report === "string"
          ? job.job_metadata.report
          : `Prompt version ${version.version_number} of ${task}, from job ${job.id}.`,
    });
    if (shipped.leftAlone)
      throw new ShipError(`the branch ${shipped.branch} was changed by a person; Kaizen leaves it alone`);
    return await store.updateJob(job.id, (j) =>
      transition(j, "SUCCESS", { pr_url: shipped.url, error_message: null, progress_step: shipped.step }),
    );
  } catch (error) {
    if (!(error instanceof ShipError)) throw error;
    await store.updateJob(job.id, (j) => transition(j, "PR_FAILED", { error_message: error.message }));
    throw error;
  }
}
