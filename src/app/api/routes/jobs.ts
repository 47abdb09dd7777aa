/** Optimization: trigger (one job in flight per task), jobs list and detail, retry of a failed PR. */
import { taskId } from "../../../core/ids.js";
import { isInFlight } from "../../../core/job-state.js";
import { OptimizeResult, type Job } from "../../../core/records.js";
import type { TaskConfig } from "../../../core/task-config-schema.js";
import type { RepoContext } from "../../repo-context.js";
import type { ApiResponse } from "../router.js";
import { estimateTask } from "../../estimate.js";
import { retryPullRequest, startJob } from "../../jobs.js";
import { ensureVersions, listTaskConfigs, resolveTask } from "../../tasks.js";
import { fromTaskConfig } from "../config-errors.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";
import { intQuery } from "../validation.js";

export function registerJobRoutes(router: ApiRouter): void {
  // Per task, concurrent optimize requests on this instance share one attempt: 500 at once would
  // otherwise each read the task's feedback for the estimate before all but one were refused.
  // The others wait for it and are refused with its job (or get its error), reading nothing.
  const attempts = new Map<string, Promise<ApiResponse>>();
  router.add("POST", "/api/v1/tasks/{task}/optimize", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const key = `${repo.repoKey}\n${task.name}`;
    const running = attempts.get(key);
    if (running) {
      const first = await running;
      throw inFlightError(task.name, (first.body as { job: Job }).job);
    }
    const attempt = optimize(repo, task).finally(() => attempts.delete(key));
    attempts.set(key, attempt);
    return attempt;
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
async function optimize(repo: RepoContext, task: TaskConfig): Promise<ApiResponse> {
  const inFlight = (await repo.store.listJobs(task.name)).find((job) => isInFlight(job.status));
  if (inFlight) throw inFlightError(task.name, inFlight);
  const active = (await ensureVersions(repo, task)).find((v) => v.status === "active");
  const { record, budgetWarning } = await fromTaskConfig(task, () =>
    estimateTask(repo.store, task, active?.prompt_text ?? ""),
  );
  // Checked again inside the job's own transaction: another instance may have won meanwhile.
  const outcome = await startJob(repo, task.name, "api_on_demand");
  if (!outcome.started) throw inFlightError(task.name, outcome.inFlight);
  return {
    status: 202,
    body: OptimizeResult.parse({ job: outcome.job, cost_estimate: record, budget_warning: budgetWarning }),
  };
}

function inFlightError(task: string, job: Job): HttpError {
  return new HttpError(
    409,
    `task ${task} already has job ${job.id} in flight (${job.status}); wait for it to finish`,
  );
}
