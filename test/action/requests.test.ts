/**
 * What one complete Action run costs in GitHub requests: the app's workflow_dispatch claimed,
 * optimized, shipped as a pull request, and the dashboard written. A 50-task matrix runs this
 * 50 times on one workflow token, so the figure is pinned: a change that adds requests fails
 * here with the routes that grew. `npm run bench -- action` prints the same figure for dist/.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/github/index.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains } from "../optimizer/helpers/world.js";
import { ONE_RUN_REPO, prepareOneRun, routeBreakdown } from "./helpers/one-run.js";
import { runActionProcess } from "./helpers/run-action.js";

/** Reached by issue #12 (55 before): 20 writes (5 data commits, the pull request, the dashboard) and 10 reads. */
const MAX_REQUESTS = 30;

let github: FakeGitHub;
let fake: FakeOpenAI;

beforeEach(async () => {
  github = await FakeGitHub.start();
  fake = await FakeOpenAI.start();
});
afterEach(async () => {
  github.assertClean();
  await github.close();
  await fake.close();
});

it(`one complete Action run makes at most ${MAX_REQUESTS} GitHub requests`, async () => {
  installBrains(fake);
  const { event } = await prepareOneRun(github);
  const run = await runActionProcess({
    inputs: { "openai-api-key": "sk-test", "openai-base-url": fake.baseURL, seed: "action-test" },
    eventName: "workflow_dispatch",
    event,
    env: { GITHUB_REPOSITORY: ONE_RUN_REPO, GITHUB_API_URL: github.baseUrl, KAIZEN_GITHUB_THROTTLE: "false" },
  });
  expect(run.code, run.log).toBe(0);
  // The whole run happened: a pull request and the dashboard, not a cheap early exit.
  expect(run.outputs["pr-url"]).toContain("/pull/");
  expect(github.repo(ONE_RUN_REPO).issues.map((i) => i.title)).toEqual(["Kaizen dashboard"]);
  const total = github.count();
  expect(
    total,
    `one Action run made ${total} GitHub requests (at most ${MAX_REQUESTS}):\n${routeBreakdown(github)}`,
  ).toBeLessThanOrEqual(MAX_REQUESTS);
}, 180_000);
