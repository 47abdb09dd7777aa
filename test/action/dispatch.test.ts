/**
 * The path a team runs: the app creates a PENDING job and dispatches the workflow; the plan
 * job must plan that task (not count the app's own job as "in flight"), and the matrix's
 * optimize run claims and runs it. And a run that cannot optimize writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { KAIZEN_WORKFLOW } from "../../src/cli/workflow-template.js";
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

/**
 * A step's `with:` as the runner hands it to the Action: each `${{ inputs.NAME }}` replaced by
 * the dispatch's input (booleans as "true"/"false", a missing one as ""); any other expression
 * fails the test, so the plan step cannot come to depend on one this does not evaluate.
 */
function stepInputs(
  step: Record<string, string>,
  inputs: Record<string, string | boolean>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step).map(([key, value]) => [
      key,
      String(value).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
        const name = /^inputs\.([\w-]+)$/.exec(expression)?.[1];
        if (name === undefined) throw new Error(`the plan step uses \${{ ${expression} }}`);
        return inputs[name] === undefined ? "" : String(inputs[name]);
      }),
    ]),
  );
}

describe("the workflow's force input", () => {
  it("reaches the Action: Run workflow with force plans a task below its threshold; without, it is skipped", async () => {
    const full = "acme/forced";
    const id = github.createRepo(full, {
      files: {
        ".kaizen/tasks/classify.yml": `${TASK_YAML}feedback_threshold: 1000\n`,
        "prompts/classify.md": SEED_PROMPT,
      },
    }).id;
    const forced = new GitHubStore(testOctokit(github), { owner: "acme", repo: "forced" });
    await forced.appendFeedback("classify", loggedFeedback(100, String(id)), { retentionLimit: 1000 });
    const workflow = parseYaml(KAIZEN_WORKFLOW) as {
      jobs: { plan: { steps: { uses: string; with: Record<string, string> }[] } };
    };
    const planStep = workflow.jobs.plan.steps[0]!;
    expect(planStep.uses).toBe("kaizen/optimize@v1");
    const plan = (inputs: Record<string, string | boolean>) =>
      runActionProcess({
        inputs: stepInputs(planStep.with, inputs),
        eventName: "workflow_dispatch",
        event: { inputs, repository: { id, name: "forced", full_name: full, owner: { login: "acme" } } },
        env: { ...env(), GITHUB_REPOSITORY: full },
      });
    const withForce = await plan({ task: "classify", force: true });
    expect(withForce.code).toBe(0);
    expect(withForce.outputs.tasks).toBe('["classify"]');
    expect(withForce.summary).toContain("forced (100/1000)");
    const without = await plan({ task: "classify", force: false });
    expect(without.outputs.tasks).toBe("[]");
  }, 120_000);
});
