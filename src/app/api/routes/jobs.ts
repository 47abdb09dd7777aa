/** Optimization: trigger (one job in flight per task), jobs list and detail, retry of a failed PR. */
import { taskId } from "../../../core/ids.js";
import { isInFlight } from "../../../core/job-state.js";
import { OptimizeResult, type Job } from "../../../core/records.js";
import type { TaskConfig } from "../../../core/task-config-schema.js";
import type { RepoContext } from "../../repo-context.js";
import type { ApiResponse } from "../router.js";
import { estimateTask } from "../../estimate.js";
import { assertEnoughData, NotEnoughDataError } from "../../../jobs/index.js";
import { retryPullRequest, startJob } from "../../jobs.js";
import { ensureVersions, listTaskConfigs, resolveTask } from "../../tasks.js";
import { fromTaskConfig } from "../config-errors.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";
import { intQuery } from "../validation.js";

export function registerJobRoutes(router: ApiRouter): void {
  // Refuse first: while an attempt for a task is under way on this instance (reading, estimating,
  // writing its job), any other optimize request for that task is answered 409 at once, reading
  // nothing and waiting for nothing. Across instances the one-in-flight rule, checked inside the
  // job's own transaction, decides.
  const attempts = new Map<string, Attempt>();
  router.add("POST", "/api/v1/tasks/{task}/optimize", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const key = `${repo.repoKey}\n${task.name}`;
    const running = attempts.get(key);
    if (running) throw attemptUnderWayError(task.name, running);
    const attempt: Attempt = { job: null };
    attempts.set(key, attempt);
    try {
      return await optimize(repo, task, (job) => (attempt.job = job));
    } finally {
      attempts.delete(key);
    }
  });

  router.add("GET", "/api/v1/jobs", async (req, { repo }) => {
    const limit = intQuery(req.query, "limit", 50, 1, 200);
    const offset = intQuery(req.query, "offset", 0, 0, 1_000_000);
    const filter = req.query.get("task_id");
    let task: string | undefined;
    if (filter) {
      const found = (await listTaskConfigs(repo)).find(
        (t) => t.name === filter || taskId(repo.repoKey, t.name) === filter,
      );
      if (!found) return { status: 200, body: [] };
      task = found.name;
    }
    const jobs = await repo.store.listJobs(task);
    return { status: 200, body: jobs.slice(offset, offset + limit) };
  });

  router.add("GET", "/api/v1/jobs/{job_id}", async (req, { repo }) => {
    const found = await repo.store.getJob(req.params.job_id!);
    if (!found) throw new HttpError(404, `job ${req.params.job_id} not found`);
    return { status: 200, body: found.job };
  });

  router.add("POST", "/api/v1/jobs/{job_id}/retry-pr", async (req, { repo }) => ({
    status: 200,
    body: await retryPullRequest(repo, req.params.job_id!),
  }));
}

/** Refuse first (a job in flight, read at the current head), then estimate, then start. */
async function optimize(
  repo: RepoContext,
  task: TaskConfig,
  onCreated: (job: Job) => void,
): Promise<ApiResponse> {
  const inFlight = (await repo.store.listJobs(task.name)).find((job) => isInFlight(job.status));
  if (inFlight) throw inFlightError(task.name, inFlight);
  const { record, budgetWarning } = repo.estimate
    ? await repo.estimate(task)
    : await fromTaskConfig(task, () => estimateTask(repo.store, task));
  // Refused before the baseline is recorded: a refused request writes nothing.
  await assertEnoughData(repo.store, task.name).catch((error: unknown) => {
    throw error instanceof NotEnoughDataError ? new HttpError(422, error.message) : error;
  });
  await ensureVersions(repo, task, { reconcile: true });
  // Checked again inside the job's own transaction: another instance may have won meanwhile.
  const outcome = await startJob(repo, task.name, "api_on_demand", onCreated);
  if (!outcome.started) throw inFlightError(task.name, outcome.inFlight);
  return {
    status: 202,
    body: OptimizeResult.parse({ job: outcome.job, cost_estimate: record, budget_warning: budgetWarning }),
  };
}

/** An optimize attempt under way on this instance; its job once written. */
interface Attempt {
  job: Job | null;
}

/** Seconds after which an attempt has usually ended: a retry then learns its job or its error. */
const ATTEMPT_RETRY_AFTER_S = 5;

function attemptUnderWayError(task: string, attempt: Attempt): HttpError {
  const where = attempt.job
    ? `job ${attempt.job.id} was created and is being dispatched`
    : "no job written yet: its cost estimate is being computed";
  return new HttpError(
    409,
    `an optimization of task ${task} is being started on this server (${where}); retry after ${ATTEMPT_RETRY_AFTER_S} s to see its job, or wait for it to finish`,
    { "retry-after": String(ATTEMPT_RETRY_AFTER_S) },
  );
}

function inFlightError(task: string, job: Job): HttpError {
  return new HttpError(
    409,
    `task ${task} already has job ${job.id} in flight (${job.status}); wait for it to finish`,
  );
}
