/**
 * The Action's post step: runs even when the workflow was cancelled or the main step crashed,
 * and fails any job of this run still in flight, with the reason, so none stays RUNNING.
 */
import * as core from "@actions/core";
import { context } from "@actions/github";
import { isInFlight } from "../core/job-state.js";
import { failJob } from "../jobs/fail.js";
import { GitHubStore } from "../store/github-store.js";
import { readInputs } from "./inputs.js";
import { actionClient, JOB_IDS_STATE } from "./client.js";

export async function runPost(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ids = JSON.parse(core.getState(JOB_IDS_STATE) || "[]") as string[];
  if (ids.length === 0) return;
  try {
    const store = new GitHubStore(actionClient(readInputs(env).githubToken, env), context.repo);
    for (const id of ids) {
      const found = await store.getJob(id);
      if (!found || !isInFlight(found.job.status)) continue;
      await failJob(
        store,
        id,
        `the workflow run ended (cancelled or crashed) while the job was ${found.job.status}`,
      );
      core.warning(`job ${id} was still ${found.job.status}: marked FAILED`);
    }
  } catch (error) {
    core.warning(`could not clean up Kaizen jobs: ${(error as Error).message}`);
  }
}
