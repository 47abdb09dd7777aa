import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { taskId } from "../../src/core/ids.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, loggedFeedback, RULES, SEED_PROMPT, TASK_YAML } from "../optimizer/helpers/world.js";
import { pendingJob as pendingJobRecord } from "../helpers/records.js";
import { runActionProcess } from "./helpers/run-action.js";

type Example = { name: string; examples: Record<string, unknown>[] };
const webhookExamples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples/api.github.com/index.json",
) as Example[];
const realEvent = (name: string) =>
  structuredClone(webhookExamples.find((e) => e.name === name)!.examples[0]!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FULL = "acme/support";
let github: FakeGitHub;
let fake: FakeOpenAI;
let store: GitHubStore;
let repoId: number;

beforeEach(async () => {
  github = await FakeGitHub.start();
  // A whole job runs here in seconds, not minutes: GitHub's per-minute write limit would
  // measure the test's compressed clock, not the Action's pacing.
  github.limits.contentPerMinute = Infinity;
  fake = await FakeOpenAI.start();
  repoId = github.createRepo(FULL, {
    files: { ".kaizen/tasks/classify.yml": TASK_YAML, "prompts/classify.md": SEED_PROMPT },
  }).id;
  store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
  await store.appendFeedback("classify", loggedFeedback(100, String(repoId)), { retentionLimit: 1000 });
});
afterEach(async () => {
  github.assertClean();
  await github.close();
  await fake.close();
});

/** A real event payload of `name`, pointed at the fake repository. */
function event(name: string, extra: Record<string, unknown> = {}) {
  const payload = realEvent(name);
  payload.repository = {
    ...(payload.repository ?? {}),
    id: repoId,
    name: "support",
    full_name: FULL,
    owner: { login: "acme" },
    // The examples come from other repositories (one says master); GitHub sends this one's.
    default_branch: "main",
  };
  return { ...payload, ...extra };
}

const env = () => ({
  GITHUB_REPOSITORY: FULL,
  GITHUB_API_URL: github.baseUrl,
  KAIZEN_GITHUB_THROTTLE: "false",
});
// A fixed seed: every run searches the same way, so whether it ships is not left to chance.
const modelInputs = () => ({
  "openai-api-key": "sk-action-secret",
  "openai-base-url": fake.baseURL,
  seed: "action-test",
});

async function pendingJob(): Promise<string> {
  const job = pendingJobRecord("classify", {
    task_id: taskId(repoId, "classify"),
    triggered_by: "auto_threshold",
  });
  await store.putJob("classify", job);
  return job.id;
}

describe("the Action", () => {
  it("turns the app's workflow_dispatch into a pull request with the report, outputs and job summary", async () => {
    installBrains(fake);
    const jobId = await pendingJob();
    const run = await runActionProcess({
      inputs: modelInputs(),
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": jobId } }),
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(run.log).toMatch(/^Kaizen optimize: starting/);
    expect(run.outputs).toMatchObject({ "job-id": jobId, "pr-url": expect.stringContaining("/pull/") });
    expect(Number(run.outputs["best-score"])).toBeGreaterThan(Number(run.outputs["baseline-score"]));
    expect(Number(run.outputs["cost-usd"])).toBeGreaterThan(0);
    expect(run.summary).toContain("✅ **Better: the candidate scores");
    const [pr] = github.repo(FULL).pulls;
    expect(pr).toMatchObject({
      head: "kaizen/classify",
      base: "main",
      state: "open",
      title: "Kaizen: better prompt for classify",
    });
    expect(pr!.body).toContain("```diff");
    expect(pr!.body).toMatch(/### Score by version\n\n```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    expect(github.repo(FULL).issues.map((i) => i.title)).toEqual(["Kaizen dashboard"]);
    expect(github.readFile(FULL, "kaizen/classify", "prompts/classify.md")).toContain(RULES.refund);
    expect((await store.getJob(jobId))!.job).toMatchObject({
      status: "SUCCESS",
      pr_url: run.outputs["pr-url"],
    });
    // The key is masked (the runner hides every later occurrence) and never printed otherwise.
    expect(run.log).toContain("::add-mask::sk-action-secret");
    expect(
      run.log
        .split("\n")
        .filter((line) => !line.startsWith("::add-mask::"))
        .join("\n"),
    ).not.toContain("sk-action-secret");
    expect(JSON.stringify(await store.getJob(jobId))).not.toContain("sk-action-secret");
  }, 180_000);

  it("updates the task's open pull request on a second run instead of opening another", async () => {
    installBrains(fake);
    await runActionProcess({
      inputs: modelInputs(),
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": await pendingJob() } }),
      env: env(),
    });
    const second = await runActionProcess({
      inputs: { ...modelInputs(), task: "classify", force: "true" },
      eventName: "repository_dispatch",
      event: event("repository_dispatch", {
        action: "kaizen-optimize",
        client_payload: { task: "classify" },
      }),
      env: env(),
    });
    expect(second.code).toBe(0);
    expect(github.repo(FULL).pulls).toHaveLength(1);
    const jobs = await store.listJobs("classify");
    expect(jobs.map((j) => [j.triggered_by, j.status, j.progress_step])).toEqual([
      ["api_on_demand", "SUCCESS", "Pull request updated"],
      ["auto_threshold", "SUCCESS", "Pull request created"],
    ]);
  }, 180_000);

  it("leaves a branch a person pushed to alone, and says so once", async () => {
    installBrains(fake);
    await runActionProcess({
      inputs: modelInputs(),
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": await pendingJob() } }),
      env: env(),
    });
    github.commitFiles(
      FULL,
      "kaizen/classify",
      { "prompts/classify.md": "My own edit {{ticket}}\n" },
      "Tweak by hand",
    );
    for (let i = 0; i < 2; i++)
      await runActionProcess({
        inputs: { ...modelInputs(), task: "classify", force: "true" },
        eventName: "workflow_dispatch",
        event: event("workflow_dispatch", { inputs: { task: "classify" } }),
        env: env(),
      });
    expect(github.readFile(FULL, "kaizen/classify", "prompts/classify.md")).toBe("My own edit {{ticket}}\n");
    expect(
      github.repo(FULL).comments.filter((c) => c.body.includes("leaves this branch alone")),
    ).toHaveLength(1);
  }, 180_000);

  it("ends PR_FAILED with GitHub's reason when the pull request is refused", async () => {
    installBrains(fake);
    github.failNext("POST", "/repos/{owner}/{repo}/pulls", 1, 422, {
      message: "Validation Failed",
      documentation_url: "https://docs.github.com/rest",
    });
    const jobId = await pendingJob();
    const run = await runActionProcess({
      inputs: modelInputs(),
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": jobId } }),
      env: env(),
    });
    expect(run.code).toBe(1);
    expect((await store.getJob(jobId))!.job).toMatchObject({
      status: "PR_FAILED",
      error_message: expect.stringContaining("Validation Failed"),
    });
    expect(run.summary).toContain("retry-pr");
  }, 180_000);

  it("ends PR_FAILED saying what to change when the repository does not let Actions open pull requests", async () => {
    installBrains(fake);
    // The workflow's own GITHUB_TOKEN, on a repository with GitHub's default setting for new ones.
    github.actionsTokens.add("ghs_action_token");
    github.repo(FULL).actionsMayCreatePullRequests = false;
    const jobId = await pendingJob();
    const run = await runActionProcess({
      inputs: modelInputs(),
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": jobId } }),
      env: env(),
    });
    expect(run.code).toBe(1);
    const { job } = (await store.getJob(jobId))!;
    expect(job.status).toBe("PR_FAILED");
    expect(job.error_message).toContain("GitHub Actions is not permitted to create or approve pull requests");
    expect(job.error_message).toContain("Allow GitHub Actions to create and approve pull requests");
    expect(job.error_message).toContain("github-token");
    expect(run.summary).toContain("Settings → Actions → General");
    expect(github.repo(FULL).pulls).toEqual([]);
  }, 180_000);

  it("ends without a pull request when nothing beats the active prompt", async () => {
    installBrains(fake, { teacher: "null" });
    const jobId = await pendingJob();
    const run = await runActionProcess({
      inputs: modelInputs(),
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": jobId } }),
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(github.repo(FULL).pulls).toEqual([]);
    expect((await store.getJob(jobId))!.job).toMatchObject({
      status: "SUCCESS",
      progress_step: "No significant improvement",
    });
    expect(run.summary).toMatch(/❌ \*\*(Not better|Not significant|No better prompt):/);
  }, 180_000);

  it("stops before spending when max-cost-usd cannot pay for a run, opening no pull request", async () => {
    installBrains(fake);
    const jobId = await pendingJob();
    const run = await runActionProcess({
      inputs: { ...modelInputs(), "max-cost-usd": "0.01" },
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: { task: "classify", "job-id": jobId } }),
      env: env(),
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain("the budget of $0.01 cannot pay for even 3 iterations");
    expect((await store.getJob(jobId))!.job).toMatchObject({ status: "FAILED" });
    expect(github.repo(FULL).pulls).toEqual([]);
    expect(fake.calls).toBe(0);
  }, 180_000);

  it("plans the due tasks for a matrix on a schedule, and a dry run writes nothing and calls no model", async () => {
    const planned = await runActionProcess({
      inputs: { mode: "plan" },
      eventName: "schedule",
      event: { schedule: "17 3 * * *", repository: { id: repoId } },
      env: env(),
    });
    expect(planned.outputs.tasks).toBe('["classify"]');
    const refs = new Map(github.repo(FULL).refs);
    const dry = await runActionProcess({
      inputs: { ...modelInputs(), "dry-run": "true" },
      eventName: "schedule",
      event: { schedule: "17 3 * * *", repository: { id: repoId } },
      env: env(),
    });
    expect(dry.code).toBe(0);
    expect(dry.summary).toContain("| role | model | calls |");
    expect(fake.calls).toBe(0);
    expect(github.repo(FULL).refs).toEqual(refs);
  }, 180_000);

  it("validates its inputs with messages that name them", async () => {
    const unknown = await runActionProcess({
      inputs: { ...modelInputs(), task: "clasify" },
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: {} }),
      env: env(),
    });
    expect(unknown.code).toBe(1);
    expect(unknown.log).toContain('unknown task "clasify" (did you mean "classify"?)');
    const cost = await runActionProcess({
      inputs: { ...modelInputs(), "max-cost-usd": "ten dollars" },
      eventName: "workflow_dispatch",
      event: event("workflow_dispatch", { inputs: {} }),
      env: env(),
    });
    expect(cost.log).toContain('max-cost-usd must be a positive number of US dollars, got "ten dollars"');
  }, 180_000);

  it("fails, in its post step, a job a cancelled run left in flight", async () => {
    const jobId = await pendingJob();
    await store.updateJob(jobId, (j) => ({ ...j, status: "RUNNING" }));
    const post = await runActionProcess({
      entry: "post-index",
      inputs: {},
      eventName: "workflow_dispatch",
      event: {},
      env: env(),
      state: JSON.stringify([jobId]),
    });
    expect(post.code).toBe(0);
    expect((await store.getJob(jobId))!.job).toMatchObject({
      status: "FAILED",
      error_message: "the workflow run ended (cancelled or crashed) while the job was RUNNING",
    });
  }, 180_000);
});
