/**
 * The Action's post step: runs even when the workflow was cancelled or the main step crashed,
 * and fails any job of this run still in flight, with the reason, so none stays RUNNING.
 */
import * as core from "@actions/core";
import { isInFlight, transition } from "../core/job-state.js";
import { createGitHubClient } from "../github/client.js";
import { GitHubStore } from "../store/github-store.js";
import { readInputs } from "./inputs.js";
import { JOB_IDS_STATE, throttleFrom } from "./run.js";

export async function runPost(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ids = JSON.parse(core.getState(JOB_IDS_STATE) || "[]") as string[];
  if (ids.length === 0) return;
  try {
    const inputs = readInputs(env);
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? "/").split("/") as [string, string];
    const store = new GitHubStore(
      createGitHubClient({
        auth: inputs.githubToken,
        baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
        throttle: throttleFrom(env),
      }),
      { owner, repo },
    );
    for (const id of ids) {
      const found = await store.getJob(id);
      if (!found || !isInFlight(found.job.status)) continue;
      await store.updateJob(id, (j) =>
        isInFlight(j.status)
          ? transition(j, "FAILED", {
              error_message: `the workflow run ended (cancelled or crashed) while the job was ${j.status}`,
              progress_step: "Failed",
            })
          : j,
      );
      core.warning(`job ${id} was still ${found.job.status}: marked FAILED`);
    }
  } catch (error) {
    core.warning(`could not clean up Kaizen jobs: ${(error as Error).message}`);
  }
}
