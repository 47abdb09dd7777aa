/**
 * Starting an optimization from the app (API optimize, threshold): one job in flight per task
 * (store/jobs.ts), and only the instance whose write landed dispatches it.
 */
import type { Job, TriggeredBy } from "../core/records.js";
import { transition } from "../core/job-state.js";
import { createPendingJob } from "../store/jobs.js";
import { HttpError } from "./api/http.js";
import type { RepoContext } from "./repo-context.js";

export type StartOutcome = { started: true; job: Job } | { started: false; inFlight: Job };

export async function startJob(
  ctx: RepoContext,
  task: string,
  triggeredBy: TriggeredBy,
  now = new Date(),
): Promise<StartOutcome> {
  const outcome = await createPendingJob(ctx.store, ctx.repoKey, task, triggeredBy, now);
  if (!outcome.created) return { started: false, inFlight: outcome.inFlight };
  await ctx.dispatcher.dispatch(task, outcome.job);
  return { started: true, job: outcome.job };
}

/**
 * Re-opens the pull request of a PR_FAILED job from its stored version, without re-optimizing:
 * the API's retry-pr and the dashboard's check box.
 * @throws HttpError 404 (job or version gone), 409 (not PR_FAILED, or no GitHub here), 502 (GitHub refused again)
 */
export async function retryPullRequest(ctx: RepoContext, jobId: string): Promise<Job> {
  const found = await ctx.store.getJob(jobId);
  if (!found) throw new HttpError(404, `job ${jobId} not found`);
  const { task, job } = found;
  if (job.status !== "PR_FAILED")
    throw new HttpError(
      409,
      `job ${job.id} is ${job.status}; only a PR_FAILED job can retry its pull request`,
    );
  const version = job.prompt_version_id
    ? (await ctx.store.listPromptVersions(task)).find((v) => v.id === job.prompt_version_id)
    : undefined;
  if (!version)
    throw new HttpError(404, `the prompt version of job ${job.id} is gone; run the optimization again`);
  if (!ctx.pullRequests)
    throw new HttpError(
      409,
      `this server has no GitHub connection, so it cannot open pull requests (kaizen serve keeps results on the kaizen/${task} branch); retry from the GitHub App, or push that branch and open the pull request yourself`,
    );
  let url: string;
  try {
    url = await ctx.pullRequests.retry(task, job);
  } catch (error) {
    await ctx.store.updateJob(job.id, (j) =>
      transition(j, "PR_FAILED", { error_message: (error as Error).message }),
    );
    throw new HttpError(502, `GitHub refused the pull request again: ${(error as Error).message}`);
  }
  return ctx.store.updateJob(job.id, (j) =>
    transition(j, "SUCCESS", { pr_url: url, error_message: null, progress_step: "Pull request opened" }),
  );
}
