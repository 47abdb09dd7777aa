/**
 * The Action `kaizen/optimize@v1`: reads its inputs and event, then either plans (which tasks
 * are due, as a JSON list for a matrix) or optimizes: the job record moves through its states
 * on the data branch as the run goes, a shipped candidate arrives as the task's pull request
 * (updated in place, never duplicated), and the report goes to the job summary.
 */
import { readFile } from "node:fs/promises";
import { Writable } from "node:stream";
import * as actionsCache from "@actions/cache";
import * as core from "@actions/core";
import { Progress } from "../cli/output.js";
import { KaizenError } from "../core/errors.js";
import type { Job } from "../core/records.js";
import { refreshDashboard } from "../app/dashboard.js";
import { createGitHubClient } from "../github/client.js";
import { ensurePromptPullRequest, PullRequestError } from "../github/pulls.js";
import { estimateTable } from "../optimizer/estimate.js";
import { defaultCacheDir } from "../optimizer/llm/cache.js";
import { MissingModelEndpointError } from "../optimizer/errors.js";
import { ISSUE_BODY_LIMIT, reportForGitHub } from "../render/report/index.js";
import { finishJob, loadTaskForJob, planJob, runOptimizationJob } from "../optimizer/pipeline.js";
import { GitHubStore } from "../store/github-store.js";
import { createPendingJob } from "../store/jobs.js";
import { readInputs, type ActionInputs } from "./inputs.js";
import { planTasks } from "./plan.js";
import { resolveTrigger, type Trigger } from "./trigger.js";

/**
 * Octokit's throttling spaces writes a second apart, which GitHub's secondary limits want;
 * KAIZEN_GITHUB_THROTTLE=false turns it off where nothing enforces them (tests, a fake GitHub).
 */
export function throttleFrom(env: NodeJS.ProcessEnv): boolean {
  return env.KAIZEN_GITHUB_THROTTLE !== "false";
}

/** What state the post step reads to clean up after a cancelled or crashed run. */
export const JOB_IDS_STATE = "kaizen-job-ids";

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.info("Kaizen optimize: starting");
  try {
    const inputs = readInputs(env);
    for (const secret of [inputs.openaiApiKey, inputs.githubToken]) if (secret) core.setSecret(secret);
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
    if (!owner || !repo)
      throw new KaizenError("GITHUB_REPOSITORY is not set: run this inside GitHub Actions");
    const event = env.GITHUB_EVENT_PATH
      ? (JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as Record<string, unknown>)
      : {};
    const trigger = resolveTrigger(env.GITHUB_EVENT_NAME ?? "workflow_dispatch", event, inputs);
    const octokit = createGitHubClient({
      auth: inputs.githubToken,
      baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
      throttle: throttleFrom(env),
      log: { warn: (m) => core.warning(m) },
    });
    const store = new GitHubStore(octokit, { owner, repo });
    const repoId = ((event.repository as { id?: number } | undefined)?.id ??
      (await octokit.request("GET /repos/{owner}/{repo}", { owner, repo })).data.id) as number;
    if (inputs.mode === "plan") return await plan(store, trigger, inputs);
    await optimize({ env, inputs, trigger, store, octokit, owner, repo, repoId });
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function plan(store: GitHubStore, trigger: Trigger, inputs: ActionInputs): Promise<void> {
  const { planned, skipped } = await planTasks(store, trigger.tasks, inputs.force);
  core.setOutput("tasks", JSON.stringify(planned.map((p) => p.config.name)));
  const rows = [
    ...planned.map((p) => `| ${p.config.name} | due | ${p.reason} |`),
    ...skipped.map((s) => `| ${s.task} | skipped | ${s.reason} |`),
  ];
  await core.summary
    .addRaw(["## Kaizen plan", "", "| task | | why |", "| --- | --- | --- |", ...rows, ""].join("\n"))
    .write();
  core.info(`${planned.length} task(s) due: ${planned.map((p) => p.config.name).join(", ") || "none"}`);
}

interface Context {
  env: NodeJS.ProcessEnv;
  inputs: ActionInputs;
  trigger: Trigger;
  store: GitHubStore;
  octokit: ReturnType<typeof createGitHubClient>;
  owner: string;
  repo: string;
  repoId: number;
}

async function optimize(ctx: Context): Promise<void> {
  const { inputs, trigger, store } = ctx;
  const models = Object.fromEntries(Object.entries(inputs.models).filter(([, v]) => v !== null)) as Partial<
    Record<"teacher" | "judge" | "student", string>
  >;
  const jobs: { task: string; job: Job }[] = [];
  if (trigger.jobId) {
    const found = await store.getJob(trigger.jobId);
    if (!found) throw new KaizenError(`job ${trigger.jobId} does not exist in ${ctx.owner}/${ctx.repo}`);
    if (found.job.status !== "PENDING") {
      core.info(`job ${trigger.jobId} is already ${found.job.status}; nothing to do`);
      return;
    }
    jobs.push(found);
  } else {
    const { planned, skipped } = await planTasks(store, trigger.tasks, inputs.force);
    for (const s of skipped) core.info(`${s.task}: skipped (${s.reason})`);
    if (inputs.dryRun)
      return dryRun(
        ctx,
        planned.map((p) => p.config.name),
        models,
      );
    for (const p of planned) {
      const outcome = await createPendingJob(store, ctx.repoId, p.config.name, trigger.triggeredBy);
      if (outcome.created) jobs.push({ task: p.config.name, job: outcome.job });
      else core.info(`${p.config.name}: job ${outcome.inFlight.id} is already ${outcome.inFlight.status}`);
    }
  }
  if (inputs.dryRun)
    return dryRun(
      ctx,
      jobs.map((j) => j.task),
      models,
    );
  if (jobs.length === 0) return core.info("No task to optimize.");
  if (!inputs.openaiApiKey) throw new MissingModelEndpointError();
  core.saveState(JOB_IDS_STATE, JSON.stringify(jobs.map((j) => j.job.id)));

  const cacheDir = defaultCacheDir(ctx.env);
  let failures = 0;
  for (const { task, job } of jobs) {
    core.startGroup(`Optimizing ${task} (job ${job.id})`);
    const cacheKey = `kaizen-llm-${task}-${job.id}`;
    if (actionsCache.isFeatureAvailable())
      await actionsCache
        .restoreCache([cacheDir], cacheKey, [`kaizen-llm-${task}-`])
        .catch((e: unknown) => core.warning(`LLM cache not restored: ${(e as Error).message}`));
    try {
      await optimizeOne(ctx, task, job, cacheDir, models);
    } catch (error) {
      failures++;
      core.error(`${task}: ${(error as Error).message}`);
    } finally {
      if (actionsCache.isFeatureAvailable())
        await actionsCache
          .saveCache([cacheDir], cacheKey)
          .catch((e: unknown) => core.warning(`LLM cache not saved: ${(e as Error).message}`));
      core.endGroup();
    }
  }
  if (failures > 0)
    core.setFailed(`${failures} of ${jobs.length} optimization(s) failed; see the log and the job records`);
}

async function optimizeOne(
  ctx: Context,
  task: string,
  job: Job,
  cacheDir: string,
  models: Partial<Record<"teacher" | "judge" | "student", string>>,
): Promise<void> {
  const { inputs, store } = ctx;
  const log = new Writable({
    write: (chunk: Buffer, _enc, done) => (core.info(chunk.toString().trimEnd()), done()),
  });
  const bar = new Progress(log, false, task, 1000);
  core.setOutput("job-id", job.id);
  const outcome = await runOptimizationJob({
    store,
    task,
    jobId: job.id,
    endpoint: {
      apiKey: inputs.openaiApiKey!,
      ...(inputs.openaiBaseUrl ? { baseURL: inputs.openaiBaseUrl } : {}),
    },
    cacheDir,
    maxCostUsd: inputs.maxCostUsd,
    models,
    ...(inputs.seed ? { seed: inputs.seed } : {}),
    runUrl: runUrlOf(ctx.env),
    onProgress: (e) => bar.update(Math.round(e.fraction * 1000), `$${e.spentUsd.toFixed(4)} · ${e.step}`),
  });
  const metadata = outcome.job.job_metadata ?? {};
  core.setOutput("cost-usd", String(metadata.actual_usd ?? 0));
  if (metadata.baseline_score !== undefined)
    core.setOutput("baseline-score", String(metadata.baseline_score));
  if (metadata.best_score !== undefined) core.setOutput("best-score", String(metadata.best_score));
  let report = outcome.report;
  if (outcome.ship) {
    const { config } = await loadTaskForJob(store, task);
    try {
      const pr = await ensurePromptPullRequest(ctx.octokit, {
        owner: ctx.owner,
        repo: ctx.repo,
        task,
        jobId: job.id,
        baseBranch: config?.github_base_branch ?? (await store.defaultBranch()),
        files: { [outcome.ship.path]: outcome.ship.text },
        title: `Kaizen: better prompt for ${task}`,
        body: reportForGitHub(outcome.report, ISSUE_BODY_LIMIT, job.id),
      });
      const step =
        pr.action === "left-alone"
          ? `Branch ${pr.branch} was changed by a person; Kaizen left it alone`
          : `Pull request ${pr.action}`;
      await finishJob(store, job.id, { prUrl: pr.url, step });
      if (pr.url) core.setOutput("pr-url", pr.url);
      report += `\n${pr.url ? `Pull request: ${pr.url}` : step}\n`;
    } catch (error) {
      if (!(error instanceof PullRequestError)) throw error;
      await finishJob(store, job.id, { failed: error.message });
      report += `\n**The pull request could not be opened: ${error.message}.** The job is PR_FAILED; \`POST /api/v1/jobs/${job.id}/retry-pr\` finishes it.\n`;
      throw error;
    } finally {
      await core.summary.addRaw(report).write();
    }
  } else {
    await core.summary.addRaw(report).write();
  }
  // The dashboard issue follows every job; a failure to update it never fails the run.
  await refreshDashboard(store, ctx.octokit, { owner: ctx.owner, repo: ctx.repo }).catch((error: unknown) =>
    core.warning(`dashboard not updated: ${(error as Error).message}`),
  );
}

async function dryRun(
  ctx: Context,
  tasks: string[],
  models: Partial<Record<"teacher" | "judge" | "student", string>>,
): Promise<void> {
  const sections: string[] = ["## Kaizen dry run", "", "No model was called and nothing was written.", ""];
  for (const task of tasks) {
    const plan = await planJob(ctx.store, task, {
      seed: "dry-run",
      maxCostUsd: ctx.inputs.maxCostUsd,
      models,
    });
    sections.push(
      `### ${task}`,
      "",
      plan.data.enough ? estimateTable(plan.estimate) : `No search would run: ${plan.data.message}.`,
      "",
    );
    core.info(`${task}: estimated $${plan.estimate.usd.toFixed(4)} for ${plan.estimate.calls} calls`);
  }
  if (tasks.length === 0) sections.push("No task is due.");
  await core.summary.addRaw(sections.join("\n")).write();
}

/** The link to this workflow run, from the variables GitHub sets in every job. */
export function runUrlOf(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : null;
}
