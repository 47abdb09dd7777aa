/**
 * What one run of the Action does, as a handful of calls into src/jobs: know what triggered
 * it, check everything, claim the jobs, execute each, refresh the dashboard. It knows nothing
 * of the Actions runtime beyond the small `ActionRuntime` the runner hands it.
 */
import type { Octokit } from "octokit";
import { plainText } from "../core/plain-text.js";
import {
  claimJob,
  NotEnoughDataError,
  executeJob,
  gitHubShipper,
  refreshDashboard,
  timingFromEnv,
  type Claim,
  type JobRef,
} from "../jobs/index.js";
import { estimateTable } from "../optimizer/estimate.js";
import { defaultCacheDir } from "../optimizer/llm/cache.js";
import { loadTaskForJob, planRun } from "../jobs/plan.js";
import { retryFromEnv } from "../optimizer/llm/gateway.js";
import { GitHubStore } from "../store/github-store.js";
import { evaluatePullRequest, runUrlOf } from "./evaluate-pr.js";
import { InputError, type ActionInputs } from "./inputs.js";
import { planTasks, type Plan } from "./plan.js";
import type { ActionEvent, ActionResult, ActionRuntime } from "./types.js";
import { ignoredEvent, resolveTrigger, type Trigger } from "./trigger.js";

type Client = Pick<Octokit, "request">;

export async function main(
  inputs: ActionInputs,
  event: ActionEvent,
  octokit: Client,
  runtime: ActionRuntime,
): Promise<ActionResult> {
  const ignored = ignoredEvent(event.eventName);
  if (ignored) {
    runtime.warning(ignored);
    return { outputs: {}, summary: `## Kaizen\n\n${ignored}\n`, failure: null };
  }
  if (event.eventName === "pull_request") return evaluatePullRequest(inputs, event, octokit, runtime);
  const trigger = resolveTrigger(event.eventName, event.payload, inputs);
  const store = new GitHubStore(octokit, event.repo, { defaultBranch: defaultBranchOf(event.payload) });
  if (inputs.mode === "plan") return planResult(await planTasks(store, trigger, inputs.force));
  if (inputs.dryRun) return dryRun(store, trigger, inputs);
  const claims = await claimAll(store, octokit, event, trigger, inputs, runtime);
  if (claims.length === 0) return { outputs: {}, summary: "", failure: null };
  runtime.claimed(claims.map((c) => c.job.id));
  const runs: RunResult[] = [];
  for (const claim of claims)
    runs.push(
      await runtime.group(`Optimizing ${claim.task} (job ${claim.job.id})`, () =>
        optimizeOne(store, octokit, event, claim, inputs, runtime),
      ),
    );
  await refreshDashboard(store, octokit, event.repo).catch((error: unknown) =>
    runtime.warning(`dashboard not updated: ${(error as Error).message}`),
  );
  const failed = runs.filter((r) => r.failure !== null);
  return {
    outputs: Object.assign({}, ...runs.map((r) => r.outputs)) as Record<string, string>,
    summary: runs.map((r) => r.summary).join("\n"),
    failure:
      failed.length > 0
        ? `${failed.length} of ${runs.length} optimization(s) failed: ${failed.map((r) => r.failure).join("; ")}`
        : null,
  };
}

/**
 * Every check first (the model key, the named tasks, their prompt files), then the claims: a
 * run that cannot optimize writes nothing and resets no counter.
 */
async function claimAll(
  store: GitHubStore,
  octokit: Client,
  event: ActionEvent,
  trigger: Trigger,
  inputs: ActionInputs,
  runtime: ActionRuntime,
): Promise<JobRef[]> {
  if (!inputs.openaiApiKey)
    throw new InputError(
      "openai-api-key is empty: pass the key of your model endpoint, e.g. ${{ secrets.OPENAI_API_KEY }}",
    );
  const claims: Claim[] = [];
  if (trigger.jobId) {
    claims.push(await claimJob(store, { jobId: trigger.jobId }, { timing: timingFromEnv(runtime.env) }));
  } else {
    const { planned, skipped } = await planTasks(store, trigger, inputs.force);
    for (const s of skipped) runtime.info(`${s.task}: skipped (${s.reason})`);
    for (const p of planned) await loadTaskForJob(store, p.config.name);
    const repoKey = await repositoryId(octokit, event);
    for (const p of planned) {
      const claim = await claimJob(
        store,
        { task: p.config.name, repoKey, triggeredBy: trigger.triggeredBy },
        { timing: timingFromEnv(runtime.env) },
      ).catch((error: unknown) => {
        // Too little usable feedback: no job is created, as the app's threshold waits too.
        if (error instanceof NotEnoughDataError)
          return { claimed: false as const, task: p.config.name, reason: error.message };
        throw error;
      });
      claims.push(claim);
    }
  }
  for (const c of claims) if (!c.claimed) runtime.info(`${c.task}: nothing to do, ${c.reason}`);
  if (claims.length === 0) runtime.info("No task to optimize.");
  return claims.filter((c): c is Extract<Claim, { claimed: true }> => c.claimed);
}

interface RunResult {
  outputs: Record<string, string>;
  summary: string;
  failure: string | null;
}

async function optimizeOne(
  store: GitHubStore,
  octokit: Client,
  event: ActionEvent,
  claim: JobRef,
  inputs: ActionInputs,
  runtime: ActionRuntime,
): Promise<RunResult> {
  const dir = defaultCacheDir(runtime.env);
  const withCache = runtime.withCache ?? ((_key, work) => work());
  let lastShown = -1;
  try {
    const { job, result, shipped } = await withCache({ task: claim.task, jobId: claim.job.id, dir }, () =>
      executeJob(store, claim, {
        shipper: gitHubShipper(octokit, event.repo),
        run: {
          endpoint: {
            apiKey: inputs.openaiApiKey!,
            ...(inputs.openaiBaseUrl ? { baseURL: inputs.openaiBaseUrl } : {}),
          },
          cacheDir: dir,
          maxCostUsd: inputs.maxCostUsd,
          models: definedModels(inputs),
          timing: timingFromEnv(runtime.env),
          retry: retryFromEnv(runtime.env),
          runUrl: runUrlOf(runtime.env),
          ...(inputs.seed ? { seed: inputs.seed } : {}),
          onProgress: (e) => {
            // A log line per tenth: the Actions log is not a terminal.
            const tenth = Math.floor(e.fraction * 10);
            if (tenth <= lastShown) return;
            lastShown = tenth;
            runtime.info(`${claim.task}: ${tenth * 10}% · $${e.spentUsd.toFixed(4)} · ${e.step}`);
          },
        },
      }),
    );
    const metadata = job.job_metadata ?? {};
    const outputs: Record<string, string> = {
      "job-id": job.id,
      "cost-usd": plainText(metadata.actual_usd ?? 0),
    };
    if (metadata.baseline_score !== undefined) outputs["baseline-score"] = plainText(metadata.baseline_score);
    if (metadata.best_score !== undefined) outputs["best-score"] = plainText(metadata.best_score);
    if (!shipped) return { outputs, summary: result.report, failure: null };
    if ("failed" in shipped)
      return {
        outputs,
        summary: `${result.report}\n**The pull request could not be opened: ${shipped.failed}.** The job is PR_FAILED; \`POST /api/v1/jobs/${job.id}/retry-pr\` finishes it.\n`,
        failure: `${claim.task}: ${shipped.failed}`,
      };
    if (shipped.shipped.url) outputs["pr-url"] = shipped.shipped.url;
    return {
      outputs,
      summary: `${result.report}\n${shipped.shipped.url ? `Pull request: ${shipped.shipped.url}` : shipped.shipped.step}\n`,
      failure: null,
    };
  } catch (error) {
    runtime.warning(`${claim.task}: ${(error as Error).message}`);
    return {
      outputs: { "job-id": claim.job.id },
      summary: "",
      failure: `${claim.task}: ${(error as Error).message}`,
    };
  }
}

/** The event's own word for the default branch (GitHub's payloads carry the repository). */
function defaultBranchOf(payload: Record<string, unknown>): string | undefined {
  const branch = (payload.repository as { default_branch?: unknown } | undefined)?.default_branch;
  return typeof branch === "string" && branch !== "" ? branch : undefined;
}

function definedModels(inputs: ActionInputs) {
  return Object.fromEntries(Object.entries(inputs.models).filter(([, v]) => v !== null)) as Partial<
    Record<"teacher" | "judge" | "student", string>
  >;
}

/** The repository's numeric id (task ids derive from it): from the event, else one request. */
async function repositoryId(octokit: Client, event: ActionEvent): Promise<number> {
  const fromEvent = (event.payload.repository as { id?: unknown } | undefined)?.id;
  if (typeof fromEvent === "number") return fromEvent;
  return Number((await octokit.request("GET /repos/{owner}/{repo}", event.repo)).data.id);
}

function planResult({ planned, skipped }: Plan): ActionResult {
  const rows = [
    ...planned.map((p) => `| ${p.config.name} | due | ${p.reason} |`),
    ...skipped.map((s) => `| ${s.task} | skipped | ${s.reason} |`),
  ];
  return {
    outputs: { tasks: JSON.stringify(planned.map((p) => p.config.name)) },
    summary: ["## Kaizen plan", "", "| task | | why |", "| --- | --- | --- |", ...rows, ""].join("\n"),
    failure: null,
  };
}

async function dryRun(store: GitHubStore, trigger: Trigger, inputs: ActionInputs): Promise<ActionResult> {
  const { planned } = await planTasks(store, trigger, inputs.force);
  const sections: string[] = ["## Kaizen dry run", "", "No model was called and nothing was written.", ""];
  for (const { config } of planned) {
    const planned = await planRun(store, config.name, {
      seed: "dry-run",
      maxCostUsd: inputs.maxCostUsd,
      models: definedModels(inputs),
      ...(inputs.openaiBaseUrl ? { baseURL: inputs.openaiBaseUrl } : {}),
    });
    sections.push(
      `### ${config.name}`,
      "",
      planned.data.enough
        ? estimateTable(planned.plan.estimate)
        : `No search would run: ${planned.data.message}.`,
      "",
    );
  }
  if (planned.length === 0) sections.push("No task is due.");
  return { outputs: {}, summary: sections.join("\n"), failure: null };
}
