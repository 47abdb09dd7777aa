/**
 * The canary on the pull request, through the GitHub App against the fake GitHub: feedback posted
 * through the API updates the check run "Kaizen: production canary" in place, a stop comments
 * once with the figures, and `promote: auto` merges the pull request.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CANARY_CHECK_NAME } from "../../src/app/canary-report.js";
import { KAIZEN_WORKFLOW } from "../../src/cli/workflow-template.js";
import { newId } from "../../src/core/ids.js";
import type { PromptVersion } from "../../src/core/records.js";
import { ensurePromptPullRequest } from "../../src/github/pulls.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { startAppOnFakeGitHub, type RunningApp } from "../helpers/github-app.js";
import { pendingJob } from "../helpers/records.js";
import { deliverWebhook, webhookExample } from "../helpers/webhooks.js";

const taskFile = (promote: "manual" | "auto") =>
  `name: greet\nprompt_path: prompts/greet.txt\ncanary: {share: 0.2, min_samples: 40, max_loss: 0.05, promote: ${promote}}\n`;

let github: FakeGitHub;
let instances: RunningApp[];
/** The instance the helpers below talk to. */
let url: string;
let key: string;
let active: PromptVersion;
let candidate: PromptVersion;
let prNumber: number;
let prUrl: string;

async function setUp(promote: "manual" | "auto", canaryReportIntervalMs = 0) {
  github = await FakeGitHub.start();
  github.createRepo("acme/a", {
    files: {
      ".kaizen/tasks/greet.yml": taskFile(promote),
      "prompts/greet.txt": "Greet {{name}}.\n",
      ".github/workflows/kaizen.yml": KAIZEN_WORKFLOW,
    },
  });
  github.userTokens.set("admin-token", "acme");
  instances = [await startAppOnFakeGitHub(github, { canaryReportIntervalMs, log: () => {} })];
  url = instances[0]!.url;
  key = (await call("POST", "/api/v1/keys", { repo: "acme/a" }, { authorization: "Bearer admin-token" })).body
    .key;

  // A finished optimization: its candidate, on the task's pull request.
  active = (await call("GET", "/api/v1/tasks/greet/prompt")).body;
  const octokit = testOctokit(github);
  const pr = await ensurePromptPullRequest(octokit, {
    owner: "acme",
    repo: "a",
    task: "greet",
    jobId: "job",
    baseBranch: "main",
    files: { "prompts/greet.txt": "Greet {{name}} warmly.\n" },
    title: "Kaizen: better prompt for greet",
    body: "Offline proof: 0.81 against 0.74.",
  });
  prNumber = Number(/\/pull\/(\d+)$/.exec(pr.url!)![1]);
  prUrl = pr.url!;
  candidate = {
    ...active,
    id: newId(),
    version_number: 2,
    status: "candidate",
    prompt_text: "Greet {{name}} warmly.\n",
    eval_score: 0.81,
  };
  const store = new GitHubStore(octokit, { owner: "acme", repo: "a" });
  await store.putPromptVersion("greet", candidate);
  await store.putJob("greet", {
    ...pendingJob("greet"),
    status: "SUCCESS",
    prompt_version_id: candidate.id,
    pr_url: pr.url,
  });
}

afterEach(async () => {
  await Promise.all(instances.map((instance) => instance.close()));
  github.assertClean();
  await github.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  base = url,
) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { "x-api-key": key } : {}),
      ...headers,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Scored entries naming the version that produced them, `perArm` on each arm. */
async function feedback(perArm: number, scores: { active: number; candidate: number }, base = url) {
  const entries = Array.from({ length: perArm * 2 }, (_, i) => {
    const arm = i % 2 === 0 ? "active" : "candidate";
    return {
      task_id: "greet",
      output: "Hello",
      score: scores[arm],
      prompt_version_id: arm === "active" ? active.id : candidate.id,
    };
  });
  expect((await call("POST", "/api/v1/feedback/batch", entries, {}, base)).status).toBe(201);
}

const canaryRuns = () => github.repo("acme/a").checkRuns.filter((r) => r.name === CANARY_CHECK_NAME);

async function until(what: string, check: () => boolean): Promise<void> {
  // Reports run behind the commit: wait for them, as a person would refresh the page.
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check(), what).toBe(true);
}

describe("the canary on the pull request", () => {
  beforeEach(() => {
    key = "";
  });

  it("updates one check run in place while entries arrive, and comments once when it stops", async () => {
    await setUp("manual");
    await feedback(2, { active: 1, candidate: 0.5 });
    await until("a canary check run", () => canaryRuns().length === 1);
    const [run] = canaryRuns();
    expect(run!.status).toBe("in_progress");
    await until("its figures", () => /\| 2 \| 2 \|/.test(run!.output.summary ?? ""));
    expect(run!.output.summary).toContain("| offline proof: eval score | – | 81.0% |");

    await feedback(3, { active: 1, candidate: 0.5 });
    await until("the figures updated", () => /\| 5 \| 5 \|/.test(canaryRuns()[0]!.output.summary ?? ""));
    expect(canaryRuns()).toHaveLength(1);

    await feedback(60, { active: 1, candidate: 0 });
    await until("the stop", () => canaryRuns()[0]!.conclusion === "failure");
    expect(canaryRuns()).toHaveLength(1);
    expect(canaryRuns()[0]!.output.title).toMatch(/^Production canary: stop \(candidate worse by/);
    const comments = () =>
      github
        .repo("acme/a")
        .comments.filter((c) => c.issue_number === prNumber && c.body.includes("canary stopped"));
    await until("the comment", () => comments().length === 1);
    expect(comments()[0]!.body).toMatch(
      /\*\*Decision: stop\*\*: the candidate is worse by more than max_loss 0.05/,
    );
    // More entries after the decision: no second comment, the run stays as decided.
    await feedback(2, { active: 1, candidate: 0 });
    expect((await call("GET", "/api/v1/tasks/greet/canary")).body).toMatchObject({
      decision: "stop",
      share: 0,
    });
    expect(comments()).toHaveLength(1);
    expect(github.repo("acme/a").pulls.find((p) => p.number === prNumber)!.state).toBe("open");
  });

  it("turns the check run green on promote and, with promote: auto, merges the pull request", async () => {
    await setUp("auto");
    await feedback(80, { active: 0, candidate: 1 });
    await until("the promote", () => canaryRuns()[0]?.conclusion === "success");
    const pr = () => github.repo("acme/a").pulls.find((p) => p.number === prNumber)!;
    await until("the merge", () => pr().merged);
    expect(pr().state).toBe("closed");
    expect(canaryRuns()).toHaveLength(1);
  });

  it("a second instance of the repository serves every unit the active version once the first stopped the candidate, and the dashboard shows the stop", async () => {
    await setUp("manual");
    instances.push(await startAppOnFakeGitHub(github, { canaryReportIntervalMs: 0, log: () => {} }));
    const second = instances[1]!.url;
    expect(new Set(await servedIds(second, UNITS))).toEqual(new Set([active.id, candidate.id]));

    await feedback(60, { active: 1, candidate: 0 });
    await until("the stop", () => canaryRuns()[0]?.conclusion === "failure");
    expect((await call("GET", "/api/v1/tasks/greet/canary", undefined, {}, second)).body).toMatchObject({
      decision: "stop",
      share: 0,
    });
    expect(new Set(await servedIds(second, UNITS))).toEqual(new Set([active.id]));
    const dashboard = () => github.repo("acme/a").issues.find((i) => i.title === "Kaizen dashboard");
    await until("the dashboard", () =>
      /Production canary of v2: \*\*stopped\*\*/.test(dashboard()?.body ?? ""),
    );
    expect(dashboard()!.body).toMatch(
      /every unit gets the active version \(candidate −100\.0 points, 95% interval −/,
    );
  });

  it("promote: auto merges on one instance; once GitHub delivers the merge, the other serves the candidate to every unit", async () => {
    await setUp("auto");
    instances.push(await startAppOnFakeGitHub(github, { canaryReportIntervalMs: 0, log: () => {} }));
    const second = instances[1]!.url;
    await feedback(80, { active: 0, candidate: 1 });
    const pr = () => github.repo("acme/a").pulls.find((p) => p.number === prNumber)!;
    await until("the merge", () => pr().merged);
    // GitHub delivers the pull request's closing to one instance only.
    const delivered = await deliverWebhook(instances[0]!.url, "s", {
      id: "merge-delivery",
      name: "pull_request",
      payload: closedPayload(pr()),
    });
    expect(delivered.status).toBe(200);
    expect(new Set(await servedIds(second, UNITS))).toEqual(new Set([candidate.id]));
    expect((await call("GET", "/api/v1/tasks/greet/prompt", undefined, {}, second)).body.id).toBe(
      candidate.id,
    );
  });

  it("paces the check run across instances: the figures another instance wrote a moment ago are not rewritten", async () => {
    await setUp("manual", 60_000);
    instances.push(await startAppOnFakeGitHub(github, { canaryReportIntervalMs: 60_000, log: () => {} }));
    const second = instances[1]!.url;
    const writes = () =>
      (github.counts.get("POST /repos/{owner}/{repo}/check-runs") ?? 0) +
      (github.counts.get("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}") ?? 0);
    await feedback(2, { active: 1, candidate: 0.5 });
    await until("a canary check run", () => canaryRuns().length === 1);
    await until("its figures", () => /\| 2 \| 2 \|/.test(canaryRuns()[0]!.output.summary ?? ""));
    const lists = () => github.counts.get("GET /repos/{owner}/{repo}/commits/{ref}/check-runs") ?? 0;
    const listed = lists();
    // The second instance has not reported yet: its own pace would let it write at once.
    await feedback(3, { active: 1, candidate: 0.5 }, second);
    await until("the second instance looked at the run", () => lists() > listed);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writes()).toBe(1);
    expect(canaryRuns()[0]!.output.summary).toMatch(/\| 2 \| 2 \|/);
    // A decision is never held back by the pace.
    await feedback(60, { active: 1, candidate: 0 }, second);
    await until("the stop", () => canaryRuns()[0]!.conclusion === "failure");
    expect(writes()).toBe(2);
  });
});

const UNITS = Array.from({ length: 300 }, (_, i) => `user-${i}`);

/** The version id each unit is served by one instance. */
async function servedIds(base: string, units: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const unit of units)
    ids.push((await call("GET", `/api/v1/tasks/greet/prompt?unit=${unit}`, undefined, {}, base)).body.id);
  return ids;
}

/** The `pull_request.closed` delivery GitHub sends when the pull request is merged. */
function closedPayload(pr: { number: number; head: string; merged: boolean }) {
  const payload = webhookExample("pull_request", (e) => e.action === "closed" && Boolean(e.installation));
  const repo = github.repo("acme/a");
  Object.assign(payload.repository, {
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    owner: { ...payload.repository.owner, login: "acme" },
  });
  payload.installation.id = repo.installationId;
  Object.assign(payload.pull_request, {
    merged: pr.merged,
    html_url: prUrl,
    number: pr.number,
    closed_at: new Date().toISOString(),
  });
  payload.pull_request.head.ref = pr.head;
  payload.pull_request.head.repo = structuredClone(payload.repository);
  return payload;
}
