import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KAIZEN_WORKFLOW } from "../../src/cli/workflow-template.js";
import { newId, taskId } from "../../src/core/ids.js";
import { ensurePromptPullRequest } from "../../src/github/pulls.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { MIN_USABLE } from "../../src/optimizer/dataset.js";
import { startAppOnFakeGitHub, type RunningApp } from "../helpers/github-app.js";
import { feedbackBatch, pendingJob } from "../helpers/records.js";
import { rawRequest } from "./helpers/raw-http.js";

const TASKS = {
  ".kaizen/tasks/summarize.yml":
    "name: summarize\nfeedback_threshold: 2\nprompt_path: prompts/summarize.md\n",
  "prompts/summarize.md": "Summarize {{ticket}}\n",
  // GitHub starts only a workflow the repository has (the fake answers 404 otherwise, as GitHub does).
  ".github/workflows/kaizen.yml": KAIZEN_WORKFLOW,
};

let github: FakeGitHub;
let running: RunningApp;
let url: string;

beforeEach(async () => {
  github = await FakeGitHub.start();
  github.createRepo("acme/a", { files: TASKS });
  github.createRepo("acme/b", { files: TASKS });
  github.userTokens.set("admin-token", "acme");
  github.userTokens.set("mallory-token", "mallory");
  github.repo("acme/a").permissions.set("mallory", "write");
  running = await startAppOnFakeGitHub(github);
  url = running.url;
});
afterEach(async () => {
  await running.close();
  github.assertClean();
  await github.close();
});

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function keyFor(repo: string): Promise<string> {
  const created = await call("POST", "/api/v1/keys", { authorization: "Bearer admin-token" }, { repo });
  expect(created.status).toBe(201);
  return created.body.key as string;
}

describe("the GitHub App's API", () => {
  it("gives keys only to repository admins, checked with GitHub", async () => {
    expect(
      (await call("POST", "/api/v1/keys", { authorization: "Bearer mallory-token" }, { repo: "acme/a" }))
        .status,
    ).toBe(404);
    expect(
      (await call("POST", "/api/v1/keys", { authorization: "Bearer forged" }, { repo: "acme/a" })).status,
    ).toBe(401);
    expect(
      (await call("POST", "/api/v1/keys", { authorization: "Bearer admin-token" }, { repo: "acme/nope" }))
        .status,
    ).toBe(404);
    expect(await keyFor("acme/a")).toMatch(new RegExp(`^kz_${github.repo("acme/a").id}_`));
  });

  it("answers 404 to a key of one repository probing another", async () => {
    const keyA = await keyFor("acme/a");
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "b" });
    const jobOfB = pendingJob("summarize");
    await store.putJob("summarize", jobOfB);
    const taskOfB = taskId(String(github.repo("acme/b").id), "summarize");
    expect((await call("GET", `/api/v1/tasks/${taskOfB}`, { "x-api-key": keyA })).status).toBe(404);
    expect((await call("GET", `/api/v1/jobs/${jobOfB.id}`, { "x-api-key": keyA })).status).toBe(404);
    expect(
      (
        await call("GET", `/api/v1/tasks/${taskId(String(github.repo("acme/a").id), "summarize")}`, {
          "x-api-key": keyA,
        })
      ).status,
    ).toBe(200);
  });

  it("commits feedback to the data branch and dispatches the workflow once when the threshold is reached", async () => {
    const key = await keyFor("acme/a");
    // Past the threshold (2) but short of the 30 usable entries a search needs: no job yet.
    const early = Array.from({ length: MIN_USABLE - 3 }, (_, i) => ({
      task_id: "summarize",
      inputs: { ticket: `early ${i}` },
      output: "s",
      score: i % 2,
    }));
    expect((await call("POST", "/api/v1/feedback/batch", { "x-api-key": key }, early)).status).toBe(201);
    expect(github.repo("acme/a").workflowDispatches).toEqual([]);
    for (let i = 0; i < 3; i++) {
      const posted = await call(
        "POST",
        "/api/v1/feedback",
        { "x-api-key": key },
        { task_id: "summarize", inputs: { ticket: `t${i}` }, output: "s", score: 1 },
      );
      expect(posted.status).toBe(201);
    }
    // The trigger runs after the feedback's commit is acknowledged: poll for its dispatch.
    const dispatches = github.repo("acme/a").workflowDispatches;
    for (let polls = 0; polls < 500 && dispatches.length === 0; polls++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]).toMatchObject({
      workflow_id: "kaizen.yml",
      ref: "main",
      inputs: { task: "summarize", "job-id": expect.any(String) },
    });
    const jobOf = async () =>
      (await call("GET", `/api/v1/jobs/${String(dispatches[0]!.inputs["job-id"])}`, { "x-api-key": key }))
        .body;
    let job = await jobOf();
    // The dispatch's run id is written just after the dispatch.
    for (let polls = 0; polls < 500 && !job.job_metadata?.workflow_run_id; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = await jobOf();
    }
    expect(job).toMatchObject({
      status: "PENDING",
      triggered_by: "auto_threshold",
      job_metadata: { workflow_run_id: expect.any(Number) },
    });
    expect(github.readFile("acme/a", "kaizen/data", "state/summarize.json")).toContain(
      '"feedback_total": 30',
    );
    // Without credentials: aggregates, and no repository's name.
    const open = await (await fetch(`${url}/metrics`)).text();
    expect(open).not.toContain("acme/");
    expect(open).toMatch(/^kaizen_github_rate_limit_remaining \d+$/m);
    const metrics = await (await fetch(`${url}/metrics`, { headers: { "x-api-key": key } })).text();
    expect(metrics).toMatch(/^kaizen_github_rate_limit_remaining\{repo="acme\/a"\} \d+$/m);
    expect(metrics).toContain('kaizen_commits_total{repo="acme/a"} 4');
  });

  it("answers 503 with Retry-After when GitHub fails a request, 502 when GitHub refuses one, never 500", async () => {
    const key = await keyFor("acme/a");
    const entry = { task_id: "summarize", inputs: { ticket: "t" }, output: "s", score: 1 };
    // GitHub's own outage: the data branch's ref cannot be read.
    github.failNext("GET", "/repos/{owner}/{repo}/git/ref/{ref}", 1, 502, { message: "Server Error" });
    const down = await fetch(`${url}/api/v1/feedback`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify(entry),
    });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect(((await down.json()) as { detail: string }).detail).toMatch(/^GitHub did not answer; try again/);
    // GitHub refuses (a token that lost its access): passed on as GitHub's answer.
    github.failNext("GET", "/repos/{owner}/{repo}/git/ref/{ref}", 1, 403, {
      message: "Resource not accessible",
    });
    const refused = await call("POST", "/api/v1/feedback", { "x-api-key": key }, entry);
    expect(refused.status).toBe(502);
    expect(refused.body.detail).toContain("Resource not accessible");
  });

  it("answers 503 with GitHub's wait when the installation's rate limit is spent, and serves once it resets", async () => {
    const key = await keyFor("acme/a");
    const entry = { task_id: "summarize", inputs: { ticket: "t" }, output: "s", score: 1 };
    const post = () =>
      fetch(`${url}/api/v1/feedback`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify(entry),
      });
    expect((await post()).status).toBe(201);
    github.limits.requestsPerHour = 0;
    const limited = await post();
    expect(limited.status).toBe(503);
    const wait = Number(limited.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    // Until the reset GitHub names in whole seconds (rounded up): at most the hour and a second.
    expect(wait).toBeLessThanOrEqual(3_601);
    expect((await limited.json()).detail).toMatch(/rate limit .* spent; try again in \d+ s/);
    expect(github.primaryLimited).toBeGreaterThan(0);
    github.limits.requestsPerHour = 5_000;
    expect((await post()).status).toBe(201);
  });

  it("answers 502 naming the workflow file and .kaizen/config.yml when GitHub has no such workflow, and fails the job", async () => {
    github.commitFiles("acme/a", "main", { ".github/workflows/kaizen.yml": null }, "Remove the workflow");
    const key = await keyFor("acme/a");
    // Enough usable feedback for a job, written past the app (no threshold crossing).
    await new GitHubStore(testOctokit(github), { owner: "acme", repo: "a" }).appendFeedback(
      "summarize",
      feedbackBatch("summarize", 0, MIN_USABLE),
      { retentionLimit: 1000 },
    );
    const tid = taskId(String(github.repo("acme/a").id), "summarize");
    const answer = await call("POST", `/api/v1/tasks/${tid}/optimize`, { "x-api-key": key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(502);
    expect(answer.body.detail).toContain("GitHub has no workflow .github/workflows/kaizen.yml");
    expect(answer.body.detail).toContain(".kaizen/config.yml");
    expect(github.repo("acme/a").workflowDispatches).toEqual([]);
    const jobs = (await call("GET", `/api/v1/jobs?task_id=${tid}`, { "x-api-key": key })).body;
    const [job] = Array.isArray(jobs) ? jobs : (jobs.items ?? jobs.jobs);
    expect(job).toMatchObject({
      status: "FAILED",
      error_message: expect.stringContaining(".kaizen/config.yml"),
    });
    expect(answer.body.detail).toContain(job.id);
  });

  it("re-opens the pull request of a PR_FAILED job, and answers 502 when GitHub refuses again", async () => {
    const key = await keyFor("acme/a");
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "a" });
    const tid = taskId(String(github.repo("acme/a").id), "summarize");
    const versionId = newId();
    const job = pendingJob("summarize", {
      task_id: tid,
      status: "PR_FAILED",
      prompt_version_id: versionId,
      error_message: "GitHub was down",
    });
    await store.putPromptVersion("summarize", {
      id: versionId,
      task_id: tid,
      version_number: 2,
      prompt_text: "Summarize {{ticket}} in one line\n",
      eval_score: 0.8,
      status: "candidate",
      optimizer: "kaizen",
      dspy_version: null,
      created_at: new Date().toISOString(),
      job_id: job.id,
    });
    await store.putJob("summarize", job);

    github.failNext("POST", "/repos/{owner}/{repo}/pulls", 1, 422, {
      message: "Validation Failed",
      documentation_url: "https://docs.github.com/rest",
    });
    const refused = await call("POST", `/api/v1/jobs/${job.id}/retry-pr`, { "x-api-key": key });
    expect(refused).toMatchObject({
      status: 502,
      body: { detail: expect.stringContaining("GitHub refused the pull request again") },
    });

    const retried = await call("POST", `/api/v1/jobs/${job.id}/retry-pr`, { "x-api-key": key });
    expect(retried).toMatchObject({
      status: 200,
      body: { status: "SUCCESS", pr_url: expect.stringContaining("/pull/") },
    });
    expect(github.readFile("acme/a", "kaizen/summarize", "prompts/summarize.md")).toBe(
      "Summarize {{ticket}} in one line\n",
    );
    expect(github.repo("acme/a").pulls).toHaveLength(1);
  });

  it("proposes a task created through the API as a pull request: the key never commits to the default branch", async () => {
    const key = await keyFor("acme/a");
    const mainBefore = github.repo("acme/a").refs.get("refs/heads/main");
    const created = await call(
      "POST",
      "/api/v1/tasks",
      { "x-api-key": key },
      {
        name: "triage",
        description: "Route tickets",
        prompt_path: "prompts/triage.md",
        prompt: "Route {{t}}\n",
      },
    );
    expect(created).toMatchObject({
      status: 202,
      body: { name: "triage", pull_request_url: expect.stringContaining("/pull/") },
    });
    expect(github.repo("acme/a").refs.get("refs/heads/main")).toBe(mainBefore);
    expect(github.readFile("acme/a", "kaizen-new/triage", ".kaizen/tasks/triage.yml")).toContain(
      "description: Route tickets",
    );
    expect(github.readFile("acme/a", "kaizen-new/triage", "prompts/triage.md")).toBe("Route {{t}}\n");
    // A second request for the name never rewrites the proposal under review.
    const again = await call(
      "POST",
      "/api/v1/tasks",
      { "x-api-key": key },
      { name: "triage", prompt_path: "prompts/other.md", prompt: "x\n" },
    );
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("/pull/");
    expect(github.readFile("acme/a", "kaizen-new/triage", "prompts/other.md")).toBeNull();
  });

  it("proposes task x on its own branch, apart from the optimization branch of a task named task-x", async () => {
    const key = await keyFor("acme/a");
    // Task `task-triage` has an optimization under review on its branch, kaizen/task-triage.
    const optimization = await ensurePromptPullRequest(testOctokit(github), {
      owner: "acme",
      repo: "a",
      task: "task-triage",
      jobId: "job",
      baseBranch: "main",
      files: { "prompts/task-triage.md": "Better\n" },
      title: "Kaizen: better prompt for task-triage",
      body: "report",
    });
    const created = await call(
      "POST",
      "/api/v1/tasks",
      { "x-api-key": key },
      { name: "triage", prompt_path: "prompts/triage.md", prompt: "Route {{t}}\n" },
    );
    expect(created.status).toBe(202);
    expect(created.body.pull_request_url).not.toBe(optimization.url);
    expect(github.readFile("acme/a", "kaizen/task-triage", "prompts/task-triage.md")).toBe("Better\n");
    expect(github.readFile("acme/a", "kaizen/task-triage", "prompts/triage.md")).toBeNull();
  });

  it("proposes a task as a pull request when the default branch is protected", async () => {
    const key = await keyFor("acme/a");
    github.repo("acme/a").protectedBranches.add("main");
    const created = await call(
      "POST",
      "/api/v1/tasks",
      { "x-api-key": key },
      { name: "triage", description: "Route tickets" },
    );
    expect(created).toMatchObject({
      status: 202,
      body: { name: "triage", pull_request_url: expect.stringContaining("/pull/") },
    });
  });

  it("never proposes to overwrite a file, nor to write git's or Kaizen's configuration", async () => {
    github.commitFiles("acme/a", "main", { "src/app.py": "print('app')\n", ".gitmodules": "" }, "app");
    const key = await keyFor("acme/a");
    const pullsBefore = github.repo("acme/a").pulls.length;
    const overwrite = await call(
      "POST",
      "/api/v1/tasks",
      { "x-api-key": key },
      { name: "x1", prompt_path: "src/app.py", prompt: "evil\n" },
    );
    expect(overwrite.status).toBe(409);
    expect(overwrite.body.detail).toMatch(/^src\/app\.py already exists/);
    const otherTask = await call(
      "POST",
      "/api/v1/tasks",
      { "x-api-key": key },
      { name: "x2", prompt_path: "prompts/summarize.md", prompt: "evil\n" },
    );
    expect(otherTask.status).toBe(409);
    for (const promptPath of [".kaizen/tasks/summarize.yml", ".kaizen/config.yml", ".gitmodules"]) {
      const refused = await call(
        "POST",
        "/api/v1/tasks",
        { "x-api-key": key },
        { name: "x3", prompt_path: promptPath, prompt: "feedback_threshold: 1\n" },
      );
      expect(refused.status, promptPath).toBe(422);
    }
    expect(github.repo("acme/a").pulls).toHaveLength(pullsBefore);
    expect([...github.repo("acme/a").refs.keys()].filter((ref) => ref.includes("task-x"))).toEqual([]);
    expect(github.readFile("acme/a", "main", "src/app.py")).toBe("print('app')\n");
  });
});

describe("the app's server and hostile request targets", () => {
  it("answers 400 to targets new URL() refuses, on the API and the webhook path, and keeps serving", async () => {
    for (const target of ["//", "//[", "http://x:99999/", "/api/github/webhooks/%ZZ"]) {
      const answer = await rawRequest(url, `GET ${target} HTTP/1.1`);
      expect(answer.status, target).toBeGreaterThanOrEqual(400);
      expect(answer.status, target).toBeLessThan(500);
    }
    expect((await rawRequest(url, "GET //[ HTTP/1.1")).body).toContain("is not a valid URL path");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
