/**
 * What the Action's main step and its post step share: the GitHub client of this run and the
 * state key under which the main step leaves the jobs it claimed. Apart from runner.ts so that
 * the post step, which only fails jobs left in flight, does not load the optimizer.
 */
import * as core from "@actions/core";
import { createGitHubClient } from "../github/client.js";

/** What the post step reads to clean up after a cancelled or crashed run. */
export const JOB_IDS_STATE = "kaizen-job-ids";

/**
 * Octokit's throttling spaces writes a second apart, which GitHub's secondary limits want;
 * KAIZEN_GITHUB_THROTTLE=false turns it off where nothing enforces them (tests, a fake GitHub).
 */
export function throttleFrom(env: NodeJS.ProcessEnv): boolean {
  return env.KAIZEN_GITHUB_THROTTLE !== "false";
}

/** The client of this run, with the token it was given. */
export function actionClient(token: string, env: NodeJS.ProcessEnv) {
  return createGitHubClient({
    auth: token,
    baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    throttle: throttleFrom(env),
    // One run: what it read or wrote is not asked for again (writes stay compare-and-swap).
    session: true,
    log: { warn: (m) => core.warning(m) },
  });
}
