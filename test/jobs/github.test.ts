/** The GitHub shipper and activation against the fake GitHub: the paths a reviewer sees. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, taskId } from "../../src/core/ids.js";
import type { PromptVersion } from "../../src/core/records.js";
import { activateMerged, activateVersion, gitHubShipper } from "../../src/jobs/index.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { loadTasks } from "../../src/store/tasks.js";
import { closePullRequest, FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { SEED_PROMPT, TASK_YAML } from "../optimizer/helpers/world.js";
import { MIN_USABLE } from "../../src/optimizer/dataset.js";
import { feedbackBatch } from "../helpers/records.js";

const FULL = "acme/support";
const repo = { owner: "acme", repo: "support" };
let github: FakeGitHub;
let store: GitHubStore;
let repoId: number;

beforeEach(async () => {
  github = await FakeGitHub.start();
  repoId = github.createRepo(FULL, {
    files: { ".kaizen/tasks/classify.yml": TASK_YAML, "prompts/classify.md": SEED_PROMPT },
  }).id;
  store = new GitHubStore(testOctokit(github), repo);
});
afterEach(async () => {
  github.assertClean();
  await github.close();
});

function version(number: number, text: string, status: PromptVersion["status"]): PromptVersion {
  return {
    id: newId(),
    task_id: taskId(repoId, "classify"),
    version_number: number,
    prompt_text: text,
    eval_score: null,
    status,
    optimizer: null,
    dspy_version: null,
    created_at: new Date().toISOString(),
    job_id: null,
  };
}

const ship = (text: string, jobId = newId()) =>
  gitHubShipper(testOctokit(github), repo).ship({
    task: "classify",
    jobId,
    baseBranch: "main",
    files: { "prompts/classify.md": text },
    title: "Kaizen: better prompt for classify",
    body: "report",
  });

describe("activate_prompt", () => {
  it("moves the pointer at once and opens the pull request that brings prompt_path in line", async () => {
    const older = version(1, `Be terse.\n${SEED_PROMPT}`, "archived");
    await store.putPromptVersion("classify", older);
    await store.putPromptVersion("classify", version(2, SEED_PROMPT, "active"));
    const config = (await loadTasks(store)).tasks[0]!;
    const { active, shipped } = await activateVersion(
      store,
      gitHubShipper(testOctokit(github), repo),
      config,
      older.id,
    );
    expect(active).toMatchObject({ version_number: 1, status: "active" });
    const [pr] = github.repo(FULL).pulls;
    expect(pr).toMatchObject({
      head: "kaizen/classify",
      base: "main",
      state: "open",
      title: "Kaizen: activate version 1 of classify",
    });
    expect(shipped!.url).toContain(`/pull/${pr!.number}`);
    expect(github.readFile(FULL, "kaizen/classify", "prompts/classify.md")).toBe(`Be terse.\n${SEED_PROMPT}`);
  });
});

describe("the task's branch", () => {
  it("stops blocking Kaizen once the pull request a person pushed to was merged", async () => {
    const first = await ship(`One.\n${SEED_PROMPT}`);
    github.commitFiles(
      FULL,
      "kaizen/classify",
      { "prompts/classify.md": `Mine.\n${SEED_PROMPT}` },
      "A person's edit",
    );
    expect((await ship(`Two.\n${SEED_PROMPT}`)).leftAlone).toBe(true);

    closePullRequest(github, FULL, github.repo(FULL).pulls[0]!.number, true);
    const fresh = await ship(`Three.\n${SEED_PROMPT}`);
    expect(fresh).toMatchObject({ leftAlone: false, step: "Pull request created" });
    expect(fresh.url).not.toBe(first.url);
    expect(github.readFile(FULL, "kaizen/classify", "prompts/classify.md")).toBe(`Three.\n${SEED_PROMPT}`);
  });
});

describe("a merged Kaizen pull request", () => {
  it("activates what was merged: a person's edit in review, recorded as its own version", async () => {
    await store.putPromptVersion("classify", version(1, SEED_PROMPT, "active"));
    const candidate = version(2, `Kaizen's rules.\n${SEED_PROMPT}`, "candidate");
    await store.putPromptVersion("classify", candidate);
    await ship(candidate.prompt_text!);
    const edited = `A reviewer's rules.\n${SEED_PROMPT}`;
    github.commitFiles(FULL, "kaizen/classify", { "prompts/classify.md": edited }, "Edit in review");
    const pr = closePullRequest(github, FULL, github.repo(FULL).pulls[0]!.number, true);

    const active = await activateMerged(store, "classify", candidate.id, pr.merge_commit_sha!);
    expect(active).toMatchObject({ version_number: 3, prompt_text: edited, status: "active" });
    expect((await store.listPromptVersions("classify")).map((v) => [v.version_number, v.status])).toEqual([
      [3, "active"],
      [2, "archived"],
      [1, "archived"],
    ]);
  });
});

describe("dispatching a job", () => {
  // A job is created only for a task with the usable minimum of feedback.
  beforeEach(async () => {
    await store.appendFeedback("classify", feedbackBatch("classify", 0, MIN_USABLE), {
      retentionLimit: 1000,
    });
  });

  it("starts the workflow .kaizen/config.yml names, and fails the job naming the field when it is wrong", async () => {
    const { createJob, gitHubDispatcher } = await import("../../src/jobs/index.js");
    const { KAIZEN_WORKFLOW } = await import("../../src/cli/workflow-template.js");
    // The generated workflow may write the dashboard issue with its own token.
    expect(KAIZEN_WORKFLOW).toContain("issues: write");

    github.commitFiles(
      FULL,
      "main",
      {
        ".kaizen/config.yml": "workflow: optimize-prompts.yml\n",
        ".github/workflows/optimize-prompts.yml": KAIZEN_WORKFLOW,
      },
      "Name the workflow",
    );
    const dispatcher = gitHubDispatcher(testOctokit(github), repo, store);
    const first = await createJob(store, {
      repoKey: repoId,
      task: "classify",
      triggeredBy: "auto_threshold",
    });
    if (!first.created) throw new Error("no job");
    await dispatcher.dispatch({ task: "classify", job: first.job });
    expect(github.repo(FULL).workflowDispatches).toEqual([
      {
        workflow_id: "optimize-prompts.yml",
        ref: "main",
        inputs: { task: "classify", "job-id": first.job.id },
      },
    ]);

    await store.updateJob(first.job.id, (j) => ({ ...j, status: "FAILED" }));
    github.commitFiles(FULL, "main", { ".kaizen/config.yml": "workflow: [a, b]\n" }, "Break it");
    const second = await createJob(store, {
      repoKey: repoId,
      task: "classify",
      triggeredBy: "auto_threshold",
    });
    if (!second.created) throw new Error("no job");
    await expect(dispatcher.dispatch({ task: "classify", job: second.job })).rejects.toThrow(
      '.kaizen/config.yml: field "workflow"',
    );
    expect((await store.getJob(second.job.id))!.job).toMatchObject({
      status: "FAILED",
      error_message: expect.stringContaining(
        '.kaizen/config.yml: field "workflow" must be the file name of a workflow',
      ),
    });
  });

  it("fails the job with GitHub's 404 for a workflow file the repository lacks, naming the file and .kaizen/config.yml", async () => {
    const { createJob, DispatchError, gitHubDispatcher } = await import("../../src/jobs/index.js");
    const created = await createJob(store, { repoKey: repoId, task: "classify", triggeredBy: "manual" });
    if (!created.created) throw new Error("no job");
    const dispatch = gitHubDispatcher(testOctokit(github), repo, store).dispatch({
      task: "classify",
      job: created.job,
    });
    await expect(dispatch).rejects.toBeInstanceOf(DispatchError);
    expect(github.repo(FULL).workflowDispatches).toEqual([]);
    const { job } = (await store.getJob(created.job.id))!;
    expect(job.status).toBe("FAILED");
    expect(job.error_message).toBe(
      "could not start the Kaizen workflow: GitHub has no workflow .github/workflows/kaizen.yml on the default branch (HTTP 404 Not Found): add .github/workflows/kaizen.yml with a workflow_dispatch trigger (`kaizen init` writes one), or name your workflow file in .kaizen/config.yml (`workflow: <file>.yml`)",
    );
  });
});
