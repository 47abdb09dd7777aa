/**
 * GitHub's real limits, through real clients and the fake GitHub: bodies fitted by the one
 * function every writer goes through, 50 annotations a request, paginated lists, and the app's
 * Octokit (Probot's) waiting out a secondary rate limit like the Action's client.
 */
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureCheckRun, type CheckRunAnnotation } from "../../src/github/check-runs.js";
import { appOctokitClass } from "../../src/github/client.js";
import { ensureDashboard } from "../../src/github/dashboard.js";
import { fitBody, GITHUB_LIMITS } from "../../src/github/limits.js";
import { ensurePromptPullRequest } from "../../src/github/pulls.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let github: FakeGitHub;
let serial = 0;
beforeAll(async () => {
  github = await FakeGitHub.start();
});
afterAll(() => github.close());
afterEach(() => github.assertClean());

const newRepo = (files?: Record<string, string>) => {
  const name = `limits-${++serial}`;
  github.createRepo(`acme/${name}`, files ? { files } : {});
  return { owner: "acme", repo: name };
};

describe("fitBody", () => {
  it("leaves a body that fits alone, and cuts a longer one to the limit with a pointer", () => {
    expect(fitBody("short", 10, "x")).toBe("short");
    const long = "<!-- marker -->\n```\n" + "a".repeat(100_000);
    const fitted = fitBody(long, GITHUB_LIMITS.issueBody, "job 42");
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_LIMITS.issueBody);
    expect(fitted.startsWith("<!-- marker -->")).toBe(true);
    expect(fitted).toMatch(/left out\.\*\* The full report: job 42/);
    expect(fitted.match(/^```/gm)?.length).toBe(2);
  });

  it("never splits a surrogate pair", () => {
    const fitted = fitBody("😀".repeat(40_000), GITHUB_LIMITS.issueBody, "p");
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_LIMITS.issueBody);
    expect(fitted).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe("writers against GitHub's limits", () => {
  it("the fake refuses an over-long pull request body with GitHub's 422", async () => {
    const repo = newRepo();
    const octokit = testOctokit(github);
    github.commitFiles(`${repo.owner}/${repo.repo}`, "feature", { "a.txt": "a" }, "feature");
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/pulls", {
        ...repo,
        title: "t",
        head: "feature",
        base: "main",
        body: "x".repeat(GITHUB_LIMITS.issueBody + 1),
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("opens a prompt pull request whose report is over the limit, cut with a pointer", async () => {
    const repo = newRepo({ "prompts/p.md": "old\n" });
    const outcome = await ensurePromptPullRequest(testOctokit(github), {
      ...repo,
      task: "summarize",
      jobId: "0193aaaa-0000-7000-8000-000000000001",
      baseBranch: "main",
      files: { "prompts/p.md": "new\n" },
      title: "Kaizen: better prompt",
      body: "report\n" + "x".repeat(200_000),
    });
    expect(outcome.action).toBe("created");
    const pr = github.repo(`${repo.owner}/${repo.repo}`).pulls[0]!;
    expect(pr.body!.length).toBeLessThanOrEqual(GITHUB_LIMITS.issueBody);
    expect(pr.body).toContain("jobs/summarize/0193aaaa-0000-7000-8000-000000000001.json");
  });

  it("refuses to write a prompt through a symlinked directory on the pull request branch", async () => {
    const repo = newRepo({ "README.md": "x\n" });
    github.commitFiles(
      `${repo.owner}/${repo.repo}`,
      "main",
      { prompts: { symlink: ".github/workflows" } },
      "l",
    );
    await expect(
      ensurePromptPullRequest(testOctokit(github), {
        ...repo,
        task: "t",
        jobId: "j",
        baseBranch: "main",
        files: { "prompts/evil.yml": "on: push\n" },
        title: "t",
        body: "b",
      }),
    ).rejects.toThrow(/prompts is a symlink/);
    expect(github.repo(`${repo.owner}/${repo.repo}`).pulls).toEqual([]);
  });

  it("sends 120 annotations as 50 + 50 + 20 and fits an over-long summary", async () => {
    const repo = newRepo();
    const head = github.repo(`${repo.owner}/${repo.repo}`).refs.get("refs/heads/main")!;
    const annotations: CheckRunAnnotation[] = Array.from({ length: 120 }, (_, i) => ({
      path: "a.yml",
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: "failure",
      message: `m${i}`,
    }));
    github.resetCounts();
    await ensureCheckRun(testOctokit(github), repo, {
      name: "check",
      headSha: head,
      conclusion: "failure",
      title: "t",
      summary: "s".repeat(70_000),
      annotations,
    });
    const run = github.repo(`${repo.owner}/${repo.repo}`).checkRuns[0]!;
    expect(run.output.annotations).toHaveLength(120);
    expect(run.output.summary!.length).toBeLessThanOrEqual(GITHUB_LIMITS.checkRunText);
    expect(github.counts.get("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toBe(2);
  });

  it("finds the dashboard among more than a page of open issues, and ignores a look-alike by a person", async () => {
    const repo = newRepo();
    const octokit = testOctokit(github);
    const first = await ensureDashboard(octokit, repo, "<!-- kaizen:dashboard -->\nv1");
    const state = github.repo(`${repo.owner}/${repo.repo}`);
    for (let i = 0; i < 120; i++)
      state.issues.push({
        number: state.nextNumber++,
        title: `bug ${i}`,
        user: "someone",
        body: null,
        state: "open",
        labels: ["kaizen"],
      });
    state.issues.push({
      number: state.nextNumber++,
      title: "Kaizen dashboard",
      user: "mallory",
      body: "<!-- kaizen:dashboard -->\nfake",
      state: "open",
      labels: ["kaizen"],
    });
    const second = await ensureDashboard(octokit, repo, "<!-- kaizen:dashboard -->\nv2");
    expect(second).toEqual({ number: first.number, action: "updated" });
    expect(state.issues.find((i) => i.number === first.number)!.body).toContain("v2");
    expect(state.issues.at(-1)!.body).toContain("fake");
  });
});

describe("the app's Octokit (Probot's, from the shared factory)", () => {
  it("waits out a secondary rate limit and retries, as the Action's client does", async () => {
    const repo = newRepo();
    const warnings: string[] = [];
    const probot = new Probot({
      appId: 1,
      privateKey,
      secret: "s",
      logLevel: "fatal",
      Octokit: appOctokitClass(ProbotOctokit, {
        baseUrl: github.baseUrl,
        log: { warn: (m) => warnings.push(m) },
      }),
    });
    const octokit = await probot.auth(github.repo(`${repo.owner}/${repo.repo}`).installationId);
    github.failNext(
      "POST",
      "/repos/{owner}/{repo}/issues",
      1,
      403,
      { message: "You have exceeded a secondary rate limit" },
      { "retry-after": "1" },
    );
    const created = await octokit.request("POST /repos/{owner}/{repo}/issues", { ...repo, title: "hello" });
    expect(created.status).toBe(201);
    expect(warnings.join("\n")).toContain("secondary rate limit");
    expect(typeof (octokit as unknown as { etagCache: { size: number } }).etagCache.size).toBe("number");
  });

  it("reads the 101st installed repository through pagination", async () => {
    const probot = new Probot({
      appId: 1,
      privateKey,
      secret: "s",
      logLevel: "fatal",
      Octokit: appOctokitClass(ProbotOctokit, { baseUrl: github.baseUrl, log: { warn: () => {} } }),
    });
    const installation = 424_242;
    for (let i = 0; i < 101; i++) {
      const state = github.createRepo(`many/r${i}`);
      state.installationId = installation;
    }
    const octokit = await probot.auth(installation);
    const first = await octokit.request("GET /installation/repositories", { per_page: 100 });
    expect(first.data.repositories).toHaveLength(100);
    const all = await octokit.paginate("GET /installation/repositories", { per_page: 100 });
    expect(all.map((r) => r.full_name)).toContain("many/r100");
  });
});
