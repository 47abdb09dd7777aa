/**
 * The canary on the pull request, through the GitHub App against the fake GitHub: feedback posted
 * through the API updates the check run "Kaizen: production canary" in place, a stop comments
 * once with the figures, and `promote: auto` merges the pull request.
 */
import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Octokit } from "octokit";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CANARY_CHECK_NAME } from "../../src/app/canary-report.js";
import { createAppServer, type AppServer } from "../../src/app/server.js";
import { KAIZEN_WORKFLOW } from "../../src/cli/workflow-template.js";
import { newId } from "../../src/core/ids.js";
import type { PromptVersion } from "../../src/core/records.js";
import { ensurePromptPullRequest } from "../../src/github/pulls.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { pendingJob } from "../helpers/records.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const taskFile = (promote: "manual" | "auto") =>
  `name: greet\nprompt_path: prompts/greet.txt\ncanary: {share: 0.2, min_samples: 40, max_loss: 0.05, promote: ${promote}}\n`;

let github: FakeGitHub;
let app: AppServer;
let url: string;
let key: string;
let active: PromptVersion;
let candidate: PromptVersion;
let prNumber: number;

async function setUp(promote: "manual" | "auto") {
  github = await FakeGitHub.start();
  github.createRepo("acme/a", {
    files: {
      ".kaizen/tasks/greet.yml": taskFile(promote),
      "prompts/greet.txt": "Greet {{name}}.\n",
      ".github/workflows/kaizen.yml": KAIZEN_WORKFLOW,
    },
  });
  github.userTokens.set("admin-token", "acme");
  const Octo = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    baseUrl: github.baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  }));
  const probot = new Probot({ appId: 1, privateKey, secret: "s", logLevel: "fatal", Octokit: Octo });
  app = await createAppServer({
    probot,
    minCommitIntervalMs: 0,
    canaryReportIntervalMs: 0,
    log: () => {},
    userClient: (token) =>
      new Octokit({
        auth: token,
        baseUrl: github.baseUrl,
        retry: { enabled: false },
        throttle: { enabled: false },
      }),
  });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
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
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  github.assertClean();
  await github.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}${path}`, {
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
async function feedback(perArm: number, scores: { active: number; candidate: number }) {
  const entries = Array.from({ length: perArm * 2 }, (_, i) => {
    const arm = i % 2 === 0 ? "active" : "candidate";
    return {
      task_id: "greet",
      output: "Hello",
      score: scores[arm],
      prompt_version_id: arm === "active" ? active.id : candidate.id,
    };
  });
  expect((await call("POST", "/api/v1/feedback/batch", entries)).status).toBe(201);
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
});
