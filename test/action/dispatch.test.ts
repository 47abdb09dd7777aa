/**
 * The path a team runs: the app creates a PENDING job and dispatches the workflow; the plan
 * job must plan that task (not count the app's own job as "in flight"), and the matrix's
 * optimize run claims and runs it. And a run that cannot optimize writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJob } from "../../src/jobs/index.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, loggedFeedback, SEED_PROMPT, TASK_YAML } from "../optimizer/helpers/world.js";
import { runActionProcess } from "./helpers/run-action.js";

const FULL = "acme/support";
let github: FakeGitHub;
let fake: FakeOpenAI;
let store: GitHubStore;
let repoId: number;

beforeEach(async () => {
  github = await FakeGitHub.start();
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

const env = () => ({
  GITHUB_REPOSITORY: FULL,
  GITHUB_API_URL: github.baseUrl,
  KAIZEN_GITHUB_THROTTLE: "false",
});
const repository = () => ({ id: repoId, name: "support", full_name: FULL, owner: { login: "acme" } });

describe("the app's workflow_dispatch", () => {
  it("is planned for its task, and the matrix run claims and runs the job the app created", async () => {
    installBrains(fake);
    const created = await createJob(store, {
      repoKey: repoId,
      task: "classify",
      triggeredBy: "auto_threshold",
    });
    if (!created.created) throw new Error("no job");
    const event = { inputs: { task: "classify", "job-id": created.job.id }, repository: repository() };

    const plan = await runActionProcess({
      inputs: { mode: "plan" },
      eventName: "workflow_dispatch",
      event,
      env: env(),
    });
    expect(plan.code).toBe(0);
    expect(plan.outputs.tasks).toBe('["classify"]');
    expect(plan.summary).toContain(`dispatched job ${created.job.id}`);

    // The generated workflow's matrix passes the task; the job id comes with the event.
    const run = await runActionProcess({
      inputs: {
        task: "classify",
        "openai-api-key": "sk-test",
        "openai-base-url": fake.baseURL,
        seed: "action-test",
      },
      eventName: "workflow_dispatch",
      event,
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(run.outputs["job-id"]).toBe(created.job.id);
    expect((await store.getJob(created.job.id))!.job).toMatchObject({
      status: "SUCCESS",
      pr_url: run.outputs["pr-url"],
    });
    expect(await store.listJobs("classify")).toHaveLength(1);
  }, 180_000);
});

describe("a run that cannot optimize", () => {
  it("says what is missing before it writes any job or resets the feedback counter", async () => {
    const before = await store.getTaskState("classify");
    const run = await runActionProcess({
      inputs: {},
      eventName: "schedule",
      event: { schedule: "17 3 * * *", repository: repository() },
      env: env(),
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain("openai-api-key is empty");
    expect(await store.listJobs()).toEqual([]);
    expect(await store.getTaskState("classify")).toEqual(before);
    expect(run.state).toEqual({});
  }, 60_000);
});
