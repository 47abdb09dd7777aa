/** The fake GitHub and the helpers tests use with it. */
import { createGitHubClient, type GitHubClient } from "../../../src/github/client.js";
import type { FakeGitHub } from "./server.js";

export { FakeGitHub, PERSON, type RepoState, type PullRequest } from "./server.js";
export { closePullRequest } from "./routes/pulls.js";

/** An Octokit for the fake, with retries and throttling off: a test sees every failure at once. */
export function testOctokit(
  github: FakeGitHub,
  options: { retry?: boolean; throttle?: boolean } = {},
): GitHubClient {
  return createGitHubClient({
    auth: "ghs_test_token",
    baseUrl: github.baseUrl,
    retry: options.retry ?? false,
    throttle: options.throttle ?? false,
    log: { warn: () => {} },
  });
}
