/**
 * The app's side of a job (the API's optimize and retry-pr, the threshold, the dashboard's
 * boxes): src/jobs does the work; this turns its outcomes into HTTP answers.
 */
import { IllegalTransitionError, NotFoundError } from "../core/errors.js";
import type { Job, TriggeredBy } from "../core/records.js";
import {
  DispatchError,
  JobPreconditionError,
  retryShip,
  ShipError,
  startJob as startJobOf,
} from "../jobs/index.js";
import { HttpError } from "./api/http.js";
import type { RepoContext } from "./repo-context.js";

export type StartOutcome = { started: true; job: Job } | { started: false; inFlight: Job };

export async function startJob(
  ctx: RepoContext,
  task: string,
  triggeredBy: TriggeredBy,
  onCreated?: (job: Job) => void,
): Promise<StartOutcome> {
  const outcome = await startJobOf(ctx.store, ctx.dispatcher, {
    repoKey: ctx.repoKey,
    task,
    triggeredBy,
    onCreated,
  }).catch((error: unknown) => {
    if (error instanceof JobPreconditionError) throw new HttpError(422, error.message);
    if (error instanceof DispatchError)
      throw new HttpError(502, `job ${error.job.id} is FAILED: ${error.message}`);
    throw error;
  });
  return outcome.created
    ? { started: true, job: outcome.job }
    : { started: false, inFlight: outcome.inFlight };
}

/**
 * Re-opens the pull request of a PR_FAILED job from its stored version, without re-optimizing.
 * @throws HttpError 404 (job or version gone), 409 (not PR_FAILED, or no GitHub here), 502 (GitHub refused again)
 */
export async function retryPullRequest(ctx: RepoContext, jobId: string): Promise<Job> {
  if (!ctx.shipper) {
    const found = await ctx.store.getJob(jobId);
    if (!found) throw new HttpError(404, `job ${jobId} not found`);
    if (found.job.status !== "PR_FAILED")
      throw new HttpError(
        409,
        `job ${jobId} is ${found.job.status}; only a PR_FAILED job can retry its pull request`,
      );
    throw new HttpError(
      409,
      `this server has no GitHub connection, so it cannot open pull requests (kaizen serve keeps results on the kaizen/${found.task} branch); retry from the GitHub App, or push that branch and open the pull request yourself`,
    );
  }
  try {
    return await retryShip(ctx.store, ctx.shipper, jobId);
  } catch (error) {
    if (error instanceof NotFoundError) throw new HttpError(404, error.message);
    if (error instanceof IllegalTransitionError)
      throw new HttpError(
        409,
        `job ${jobId} is ${error.from}; only a PR_FAILED job can retry its pull request`,
      );
    if (error instanceof ShipError)
      throw new HttpError(502, `GitHub refused the pull request again: ${error.message}`);
    throw error;
  }
}
