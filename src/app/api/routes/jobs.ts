/** Optimization: trigger (one job in flight per task), jobs list and detail, retry of a failed PR. */
import { transition } from "../../../core/job-state.js";
import { taskId } from "../../../core/ids.js";
import { OptimizeResult } from "../../../core/records.js";
import { estimateTask } from "../../estimate.js";
import { startJob } from "../../jobs.js";
import { ensureVersions, listTaskConfigs, resolveTask } from "../../tasks.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";
import { intQuery } from "../validation.js";

export function registerJobRoutes(router: ApiRouter): void {
  router.add("POST", "/api/v1/tasks/{task}/optimize", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const active = (await ensureVersions(repo, task)).find((v) => v.status === "active");
    const { record, budgetWarning } = await estimateTask(repo.store, task, active?.prompt_text ?? "");
    const outcome = await startJob(repo, task.name, "api_on_demand");
    if (!outcome.started) {
      throw new HttpError(409, `task ${task.name} already has job ${outcome.inFlight.id} in flight (${outcome.inFlight.status}); wait for it to finish`);
    }
    return { status: 202, body: OptimizeResult.parse({ job: outcome.job, cost_estimate: record, budget_warning: budgetWarning }) };
  });

  router.add("GET", "/api/v1/jobs", async (req, { repo }) => {
    const limit = intQuery(req.query, "limit", 50, 1, 200);
    const offset = intQuery(req.query, "offset", 0, 0, 1_000_000);
    const filter = req.query.get("task_id");
    let task: string | undefined;
    if (filter) {
      const found = (await listTaskConfigs(repo)).find((t) => t.name === filter || taskId(repo.repoKey, t.name) === filter);
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

  router.add("POST", "/api/v1/jobs/{job_id}/retry-pr", async (req, { repo }) => {
    const found = await repo.store.getJob(req.params.job_id!);
    if (!found) throw new HttpError(404, `job ${req.params.job_id} not found`);
    const { task, job } = found;
    if (job.status !== "PR_FAILED") throw new HttpError(409, `job ${job.id} is ${job.status}; only a PR_FAILED job can retry its pull request`);
    const version = job.prompt_version_id ? (await repo.store.listPromptVersions(task)).find((v) => v.id === job.prompt_version_id) : undefined;
    if (!version) throw new HttpError(404, `the prompt version of job ${job.id} is gone; run the optimization again`);
    if (!repo.pullRequests) throw new HttpError(502, "this server cannot open pull requests (no GitHub connection)");
    let url: string;
    try {
      url = await repo.pullRequests.retry(task, job);
    } catch (error) {
      await repo.store.updateJob(job.id, (j) => transition(j, "PR_FAILED", { error_message: (error as Error).message }));
      throw new HttpError(502, `GitHub refused the pull request again: ${(error as Error).message}`);
    }
    const updated = await repo.store.updateJob(job.id, (j) => transition(j, "SUCCESS", { pr_url: url, error_message: null, progress_step: "Pull request opened" }));
    return { status: 200, body: updated };
  });
}
