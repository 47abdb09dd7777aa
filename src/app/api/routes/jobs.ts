/** Optimization: trigger (one job in flight per task), jobs list and detail, retry of a failed PR. */
import { taskId } from "../../../core/ids.js";
import { OptimizeResult } from "../../../core/records.js";
import { estimateTask } from "../../estimate.js";
import { retryPullRequest, startJob } from "../../jobs.js";
import { ensureVersions, listTaskConfigs, resolveTask } from "../../tasks.js";
import { fromTaskConfig } from "../config-errors.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";
import { intQuery } from "../validation.js";

export function registerJobRoutes(router: ApiRouter): void {
  router.add("POST", "/api/v1/tasks/{task}/optimize", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const active = (await ensureVersions(repo, task)).find((v) => v.status === "active");
    const { record, budgetWarning } = await fromTaskConfig(task, () =>
      estimateTask(repo.store, task, active?.prompt_text ?? ""),
    );
    const outcome = await startJob(repo, task.name, "api_on_demand");
    if (!outcome.started) {
      throw new HttpError(
        409,
        `task ${task.name} already has job ${outcome.inFlight.id} in flight (${outcome.inFlight.status}); wait for it to finish`,
      );
    }
    return {
      status: 202,
      body: OptimizeResult.parse({ job: outcome.job, cost_estimate: record, budget_warning: budgetWarning }),
    };
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
