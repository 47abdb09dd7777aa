import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kaizenWebhooks, type RepoRef } from "../../../src/app/webhooks/index.js";
import { TASK_CHECK_NAME } from "../../../src/app/webhooks/task-check.js";
import { newId, taskId } from "../../../src/core/ids.js";
import type { PromptVersion } from "../../../src/core/records.js";
import { GitHubStore } from "../../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../../fakes/github/index.js";
import { pendingJob } from "../../helpers/records.js";
import { webhookExample } from "../../helpers/webhooks.js";

const example = webhookExample;

const SECRET = "webhook-secret";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let github: FakeGitHub;
let probot: Probot;
let invalidated: RepoRef[];
const FULL = "acme/support";

beforeEach(async () => {
  github = await FakeGitHub.start();
  github.createRepo(FULL, {
    files: {
      ".kaizen/tasks/summarize.yml": "name: summarize\n",
      "prompts/summarize.md": "Summarize {{ticket}}\n",
    },
  });
  invalidated = [];
  probot = newProbot();
  await probot.load(
    kaizenWebhooks({
      storeFor: (octokit, repo) => new GitHubStore(octokit, { owner: repo.owner, repo: repo.repo }),
      invalidate: (repo) => invalidated.push(repo),
    }),
  );
});
afterEach(async () => {
  github.assertClean();
  await github.close();
});

/** Probot against the fake, with retries and write throttling off so tests see failures at once. */
function newProbot(): Probot {
  const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    baseUrl: github.baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  }));
  return new Probot({ appId: 1, privateKey, secret: SECRET, logLevel: "fatal", Octokit });
}

/** A real push payload, pointed at the fake repository and a commit that touched `files`. */
function pushPayload(ref: string, after: string, modified: string[]) {
  const payload = example("push", (e) => e.ref === "refs/heads/master" && Boolean(e.installation));
  const repo = github.repo(FULL);
  Object.assign(payload.repository, {
    id: repo.id,
    name: repo.name,
    full_name: FULL,
    default_branch: "main",
    owner: { ...payload.repository.owner, login: "acme", name: "acme" },
  });
  payload.installation.id = repo.installationId;
  Object.assign(payload, { ref, after, deleted: false });
  payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified }];
  return payload;
}

describe("the push webhook", () => {
  it("reports broken task files as a failing check run with an annotation on the exact line", async () => {
    const sha = github.commitFiles(
      FULL,
      "main",
      { ".kaizen/tasks/summarize.yml": "name: summarize\nfeedback_threshold: -1\n" },
      "Break the task",
    );
    await probot.receive({
      id: "delivery-1",
      name: "push",
      payload: pushPayload("refs/heads/main", sha, [".kaizen/tasks/summarize.yml"]) as never,
    });
    const [run] = github.repo(FULL).checkRuns;
    expect(run).toMatchObject({
      name: TASK_CHECK_NAME,
      head_sha: sha,
      conclusion: "failure",
      output: { title: "1 error(s) in task files" },
    });
    expect(run!.output.annotations).toEqual([
      expect.objectContaining({
        path: ".kaizen/tasks/summarize.yml",
        start_line: 2,
        start_column: 21,
        annotation_level: "failure",
        message: expect.stringContaining("must be greater than 0"),
      }),
    ]);
  });

  it("changes nothing twice when GitHub redelivers the event, or another instance sees it", async () => {
    const sha = github.commitFiles(
      FULL,
      "main",
      { ".kaizen/tasks/summarize.yml": "name: summarize\n" },
      "Touch the task",
    );
    const payload = pushPayload("refs/heads/main", sha, [".kaizen/tasks/summarize.yml"]);
    await probot.receive({ id: "delivery-2", name: "push", payload: payload as never });
    await probot.receive({ id: "delivery-2", name: "push", payload: payload as never });
    await probot.receive({ id: "delivery-3", name: "push", payload: payload as never });
    expect(github.repo(FULL).checkRuns).toHaveLength(1);
    expect(github.repo(FULL).checkRuns[0]).toMatchObject({ conclusion: "success" });
  });

  it("ignores pushes that touch no task file without a single API call, and invalidates caches on a data-branch push", async () => {
    github.resetCounts();
    await probot.receive({
      id: "delivery-4",
      name: "push",
      payload: pushPayload("refs/heads/main", "0".repeat(40), ["README.md"]) as never,
    });
    expect(github.count()).toBe(0);
    await probot.receive({
      id: "delivery-5",
      name: "push",
      payload: pushPayload("refs/heads/kaizen/data", "0".repeat(40), ["feedback/x.jsonl"]) as never,
    });
    expect(invalidated).toEqual([{ owner: "acme", repo: "support", id: github.repo(FULL).id }]);
    expect(github.count()).toBe(0);
  });
});

describe("the pull_request webhook", () => {
  it("checks the task files of a pull request that touches them, on its head commit", async () => {
    const main = github.repo(FULL).refs.get("refs/heads/main")!;
    github.repo(FULL).refs.set("refs/heads/tune", main);
    const head = github.commitFiles(
      FULL,
      "tune",
      { ".kaizen/tasks/summarize.yml": "name: summarize\nfeedback_treshold: 3\n" },
      "Tune the task",
    );
    const pr = await testOctokit(github).request("POST /repos/{owner}/{repo}/pulls", {
      owner: "acme",
      repo: "support",
      title: "Tune",
      head: "tune",
      base: "main",
    });
    const payload = example("pull_request", (e) => e.action === "opened" && Boolean(e.installation));
    const repo = github.repo(FULL);
    Object.assign(payload.repository, {
      id: repo.id,
      name: repo.name,
      full_name: FULL,
      owner: { ...payload.repository.owner, login: "acme" },
    });
    payload.installation.id = repo.installationId;
    Object.assign(payload.pull_request, { number: pr.data.number });
    Object.assign(payload.pull_request.head, { ref: "tune", sha: head });
    await probot.receive({ id: "delivery-pr-1", name: "pull_request", payload: payload as never });
    expect(github.repo(FULL).checkRuns).toEqual([
      expect.objectContaining({
        head_sha: head,
        conclusion: "success",
        output: expect.objectContaining({ title: "1 task file(s) valid, 1 warning(s)" }),
      }),
    ]);
  });

  async function candidateWithPr(): Promise<{
    prUrl: string;
    versionId: string;
    jobId: string;
    number: number;
  }> {
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
    const tid = taskId(github.repo(FULL).id, "summarize");
    const base = {
      task_id: tid,
      eval_score: 0.6,
      optimizer: null,
      dspy_version: null,
      created_at: new Date().toISOString(),
      job_id: null,
    } as const;
    await store.putPromptVersion("summarize", {
      ...base,
      id: newId(),
      version_number: 1,
      prompt_text: "v1",
      status: "active",
    } satisfies PromptVersion);
    const versionId = newId();
    const number = 12;
    const prUrl = `https://github.com/${FULL}/pull/${number}`;
    const job = pendingJob("summarize", { status: "SUCCESS", prompt_version_id: versionId, pr_url: prUrl });
    await store.putPromptVersion("summarize", {
      ...base,
      id: versionId,
      version_number: 2,
      prompt_text: "v2",
      status: "candidate",
      eval_score: 0.8,
      job_id: job.id,
    });
    await store.putJob("summarize", job);
    return { prUrl, versionId, jobId: job.id, number };
  }

  function closedPayload(merged: boolean, prUrl: string, number: number) {
    const payload = example("pull_request", (e) => e.action === "closed" && Boolean(e.installation));
    const repo = github.repo(FULL);
    Object.assign(payload.repository, {
      id: repo.id,
      name: repo.name,
      full_name: FULL,
      owner: { ...payload.repository.owner, login: "acme" },
    });
    payload.installation.id = repo.installationId;
    Object.assign(payload.pull_request, {
      merged,
      html_url: prUrl,
      number,
      closed_at: new Date().toISOString(),
    });
    payload.pull_request.head.ref = "kaizen/summarize";
    // Kaizen's own pull requests come from its branch in the same repository.
    payload.pull_request.head.repo = structuredClone(payload.repository);
    return payload;
  }

  it("never settles a version for a fork's kaizen/<task> branch, nor for a pull request no job recorded", async () => {
    const { prUrl, number } = await candidateWithPr();
    const fromFork = closedPayload(true, prUrl, number);
    fromFork.pull_request.head.repo = {
      ...fromFork.pull_request.head.repo,
      id: github.repo(FULL).id + 1,
      full_name: "mallory/support",
      fork: true,
    };
    await probot.receive({ id: "delivery-fork", name: "pull_request", payload: fromFork as never });
    const unknown = closedPayload(false, `https://github.com/${FULL}/pull/99`, 99);
    await probot.receive({ id: "delivery-unknown", name: "pull_request", payload: unknown as never });
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
    expect((await store.listPromptVersions("summarize")).map((v) => [v.version_number, v.status])).toEqual([
      [2, "candidate"],
      [1, "active"],
    ]);
  });

  it("makes a merged Kaizen pull request's version active and archives the previous one", async () => {
    const { prUrl, number } = await candidateWithPr();
    await probot.receive({
      id: "delivery-6",
      name: "pull_request",
      payload: closedPayload(true, prUrl, number) as never,
    });
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
    expect((await store.listPromptVersions("summarize")).map((v) => [v.version_number, v.status])).toEqual([
      [2, "active"],
      [1, "archived"],
    ]);
    // The dashboard shows the merged version as active at once.
    expect(github.repo(FULL).issues[0]!.body).toContain("active prompt: v2 (80.0%)");
  });

  it("archives the version of a Kaizen pull request closed unmerged, recording the rejection on its job", async () => {
    const { prUrl, number, jobId } = await candidateWithPr();
    await probot.receive({
      id: "delivery-7",
      name: "pull_request",
      payload: closedPayload(false, prUrl, number) as never,
    });
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
    expect((await store.listPromptVersions("summarize")).map((v) => [v.version_number, v.status])).toEqual([
      [2, "archived"],
      [1, "active"],
    ]);
    expect((await store.getJob(jobId))?.job.job_metadata).toMatchObject({
      pull_request: { state: "rejected", number },
    });
  });
});

describe("webhook signatures", () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses a delivery whose signature is forged, and accepts a signed one", async () => {
    const middleware = await createNodeMiddleware(
      kaizenWebhooks({
        storeFor: (octokit, repo) => new GitHubStore(octokit, repo),
        invalidate: (repo) => invalidated.push(repo),
      }),
      { probot: newProbot() },
    );
    server = createServer((req, res) => void middleware(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const body = JSON.stringify(pushPayload("refs/heads/kaizen/data", "0".repeat(40), []));
    const post = (signature: string, id: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": id,
          "x-hub-signature-256": signature,
        },
        body,
      });
    const forged = await post(
      `sha256=${createHmac("sha256", "not-the-secret").update(body).digest("hex")}`,
      "forged-1",
    );
    expect(forged.status).toBe(400);
    expect(invalidated).toEqual([]);
    const signed = await post(
      `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      "signed-1",
    );
    expect(signed.status).toBe(200);
    expect(invalidated).toHaveLength(1);
  });
});
