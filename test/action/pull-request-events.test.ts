/**
 * The Action on pull requests (issue #20), through its real entry against the fake GitHub: a
 * fork's `pull_request` runs with a read-only token, and events the Action does not know
 * (`pull_request_target` among them) must never become an optimization.
 */
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EVALUATION_CHECK_NAME } from "../../src/action/evaluate-pr.js";
import { DATA_BRANCH } from "../../src/store/layout.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, loggedFeedback, SEED_PROMPT, TASK_YAML } from "../optimizer/helpers/world.js";
import { runActionProcess } from "./helpers/run-action.js";

type Example = { name: string; examples: Record<string, unknown>[] };
const webhookExamples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples/api.github.com/index.json",
) as Example[];

const FULL = "acme/support";
const READ_ONLY = "ghs_read_only_token";
let github: FakeGitHub;
let fake: FakeOpenAI;
let repoId: number;

beforeEach(async () => {
  github = await FakeGitHub.start();
  github.readOnlyTokens.add(READ_ONLY);
  fake = await FakeOpenAI.start();
  installBrains(fake);
  repoId = github.createRepo(FULL, {
    files: { ".kaizen/tasks/classify.yml": TASK_YAML, "prompts/classify.md": SEED_PROMPT },
  }).id;
  const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
  // Far past the task's threshold: an optimization would be due.
  await store.appendFeedback("classify", loggedFeedback(120, String(repoId)), { retentionLimit: 1000 });
});
afterEach(async () => {
  github.assertClean();
  await github.close();
  await fake.close();
});

/** GitHub's own pull_request payload for a change of the task's prompt, from `headRepo`. */
async function pullRequestEvent(headRepo: { full_name: string; fork: boolean }) {
  const state = github.repo(FULL);
  state.refs.set("refs/heads/edit", state.refs.get("refs/heads/main")!);
  github.commitFiles(FULL, "edit", { "prompts/classify.md": `${SEED_PROMPT}Be brief.\n` }, "edit");
  const { data } = await testOctokit(github).request("POST /repos/{owner}/{repo}/pulls", {
    owner: "acme",
    repo: "support",
    title: "Sharper prompt",
    head: "edit",
    base: "main",
  });
  const payload = structuredClone(
    webhookExamples.find((e) => e.name === "pull_request")!.examples[0]!,
  ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  payload.number = data.number;
  payload.pull_request.number = data.number;
  payload.pull_request.head = {
    ...payload.pull_request.head,
    ref: "edit",
    sha: state.refs.get("refs/heads/edit"),
    repo: { ...payload.pull_request.head.repo, ...headRepo },
  };
  payload.repository = { ...payload.repository, id: repoId, full_name: FULL, default_branch: "main" };
  return payload;
}

const env = () => ({
  GITHUB_REPOSITORY: FULL,
  GITHUB_API_URL: github.baseUrl,
  KAIZEN_GITHUB_THROTTLE: "false",
});

describe("the Action under pull_request", () => {
  it("succeeds on a fork's pull request with its read-only token: the report in the job summary, no check run", async () => {
    const run = await runActionProcess({
      // A fork's workflow gets no secrets: no model key.
      inputs: { "github-token": READ_ONLY },
      eventName: "pull_request",
      event: await pullRequestEvent({ full_name: "mallory/support", fork: true }),
      env: env(),
    });
    expect(run.log).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect(run.summary).toContain("## Kaizen: your edit of classify");
    expect(run.summary).toContain("Not evaluated: pull requests from forks");
    expect(github.repo(FULL).checkRuns).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  }, 120_000);

  it("succeeds when a same-repository token may not write check runs, and says how to fix it", async () => {
    const run = await runActionProcess({
      inputs: { "github-token": READ_ONLY },
      eventName: "pull_request",
      event: await pullRequestEvent({ full_name: FULL, fork: false }),
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(run.log).toMatch(new RegExp(`::warning::${EVALUATION_CHECK_NAME} was not written.*checks: write`));
    expect(run.summary).toContain("## Kaizen: your edit of classify");
    expect(github.repo(FULL).checkRuns).toEqual([]);
  }, 120_000);
});

describe("events the Action does not run on", () => {
  for (const eventName of ["pull_request_target", "push", "issue_comment"])
    it(`does nothing on ${eventName}, says so, calls no model and writes nothing`, async () => {
      const before = new Map(github.repo(FULL).refs);
      const run = await runActionProcess({
        inputs: { "openai-api-key": "sk-secret", "openai-base-url": fake.baseURL },
        eventName,
        event: await pullRequestEvent({ full_name: "mallory/support", fork: true }),
        env: env(),
      });
      expect(run.code).toBe(0);
      expect(run.log).toContain(`::warning::Kaizen does nothing on "${eventName}"`);
      expect(run.summary).toContain(`Kaizen does nothing on "${eventName}"`);
      expect(fake.requests).toHaveLength(0);
      expect(github.repo(FULL).refs.get(`refs/heads/${DATA_BRANCH}`)).toBe(
        before.get(`refs/heads/${DATA_BRANCH}`),
      );
      expect(github.repo(FULL).pulls.map((p) => p.head)).toEqual(["edit"]);
      expect(github.repo(FULL).issues).toEqual([]);
    }, 120_000);
});
