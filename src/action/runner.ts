/**
 * The Action's runner, in the style of release-drafter v7: the only file that talks to the
 * Actions runtime. It reads the inputs and the event, builds the GitHub client, calls `main`,
 * and turns the result into outputs, the job summary and the exit status.
 */
import * as core from "@actions/core";
import { context } from "@actions/github";
import { KaizenError } from "../core/errors.js";
import { actionClient, JOB_IDS_STATE } from "./client.js";
import { readInputs } from "./inputs.js";
import { main } from "./main.js";
import type { ActionRuntime } from "./types.js";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  core.info("Kaizen optimize: starting");
  try {
    const inputs = readInputs(env);
    for (const secret of [inputs.openaiApiKey, inputs.githubToken]) if (secret) core.setSecret(secret);
    if (!env.GITHUB_REPOSITORY)
      throw new KaizenError("GITHUB_REPOSITORY is not set: run this inside GitHub Actions");
    const runtime: ActionRuntime = {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      group: (name, work) => core.group(name, work),
      claimed: (ids) => core.saveState(JOB_IDS_STATE, JSON.stringify(ids)),
      withCache: withActionsCache,
      env,
    };
    const result = await main(
      inputs,
      { eventName: context.eventName, payload: context.payload, repo: context.repo },
      actionClient(inputs.githubToken, env),
      runtime,
    );
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.summary) await core.summary.addRaw(result.summary).write();
    if (result.failure) core.setFailed(result.failure);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A re-run of a job pays for no model answer it already paid for: the cache survives the runner.
 * `@actions/cache` (with the Azure storage client, a third of the Action's code) is loaded only
 * here, when a job runs: a dry run, a plan or a pull request's check never loads it.
 */
async function withActionsCache<T>(
  key: { task: string; jobId: string; dir: string },
  work: () => Promise<T>,
): Promise<T> {
  const actionsCache = await import("@actions/cache");
  if (!actionsCache.isFeatureAvailable()) return work();
  const name = `kaizen-llm-${key.task}-${key.jobId}`;
  await actionsCache
    .restoreCache([key.dir], name, [`kaizen-llm-${key.task}-`])
    .catch((e: unknown) => core.warning(`LLM cache not restored: ${(e as Error).message}`));
  try {
    return await work();
  } finally {
    await actionsCache
      .saveCache([key.dir], name)
      .catch((e: unknown) => core.warning(`LLM cache not saved: ${(e as Error).message}`));
  }
}
