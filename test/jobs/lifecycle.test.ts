import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kaizenGitEnv } from "../../src/store/local-git-backend.js";
import {
  activateMerged,
  activateMergedCandidates,
  activateVersion,
  cancelJob,
  claimJob,
  createJob,
  executeJob,
  JobAlreadyEndedError,
  localBranchShipper,
} from "../../src/jobs/index.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { loadTasks } from "../../src/store/tasks.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, RULES, SEED_PROMPT, worldRepo } from "../optimizer/helpers/world.js";

const git = promisify(execFile);
const MINUTE = 60_000;

let world: { dir: string; store: LocalGitStore };
beforeEach(async () => {
  world = await worldRepo(100);
});
afterEach(async () => {
  await rm(world.dir, { recursive: true, force: true });
});

const request = { repoKey: "local", task: "classify", triggeredBy: "manual" } as const;

describe("a job whose runner vanished", () => {
  it("is failed with the reason by whichever process next looks, and no longer blocks its task", async () => {
    const old = new Date(Date.now() - 20 * MINUTE);
    const vanished = await claimJob(world.store, request, { now: old });
    expect(vanished).toMatchObject({ claimed: true, job: { status: "RUNNING" } });

    const next = await createJob(world.store, request);
    expect(next.created).toBe(true);
    const reaped = (await world.store.getJob((vanished as { job: { id: string } }).job.id))!.job;
    expect(reaped).toMatchObject({
      status: "FAILED",
      error_message: expect.stringMatching(/^the runner vanished: no heartbeat for 15 minutes while RUNNING/),
    });
  });

  it("blocks the task while its heartbeat is fresh", async () => {
    const alive = await claimJob(world.store, request);
    const next = await createJob(world.store, request);
    expect(next).toMatchObject({
      created: false,
      inFlight: { id: (alive as { job: { id: string } }).job.id },
    });
  });
});

describe("cancelling a job", () => {
  it("ends a job not yet finished FAILED, cancelled by whom, and refuses one that ended", async () => {
    const claim = await claimJob(world.store, request);
    if (!claim.claimed) throw new Error(claim.reason);
    expect(await cancelJob(world.store, claim.job.id, "octocat")).toMatchObject({
      status: "FAILED",
      error_message: "cancelled by octocat",
    });
    await expect(cancelJob(world.store, claim.job.id, "octocat")).rejects.toThrow(JobAlreadyEndedError);
  });
});

describe("creating a job", () => {
  it("checks the task before writing anything: no job, no reset counter", async () => {
    await git("git", ["rm", "-q", "prompts/classify.md"], { cwd: world.dir, env: kaizenGitEnv() });
    await git("git", ["commit", "-qm", "drop the prompt"], { cwd: world.dir, env: kaizenGitEnv() });
    const before = (await world.store.getTaskState("classify"))!.feedback_since_optimization;
    await expect(createJob(world.store, request)).rejects.toThrow(
      "prompts/classify.md of task classify does not exist",
    );
    expect(await world.store.listJobs()).toEqual([]);
    expect((await world.store.getTaskState("classify"))!.feedback_since_optimization).toBe(before);
  });
});

describe("a local run, end to end", () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await FakeOpenAI.start();
    installBrains(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it("ends a job that could not do its work FAILED with the reason, never SUCCESS", async () => {
    // A judge that answers one score to everything: its agreement with people cannot be measured,
    // so no search runs. Before, the job ended SUCCESS.
    fake.brain("sim-judge", () => JSON.stringify({ score: 0.5, critique: "Fine." }));
    const claim = await claimJob(world.store, request);
    if (!claim.claimed) throw new Error(claim.reason);
    const { job } = await executeJob(world.store, claim, {
      shipper: localBranchShipper(world.store),
      run: { endpoint: { apiKey: "sk-test", baseURL: fake.baseURL }, cacheDir: null, seed: "jobs-test" },
    });
    expect(job).toMatchObject({
      status: "FAILED",
      error_message: expect.stringContaining("Stopped: the evaluator disagrees with people's scores"),
    });
    expect(job.job_metadata?.report).toMatch(/^## Kaizen: classify/);
    expect(await world.store.listPromptVersions("classify")).toEqual([]);
  }, 120_000);

  it("keeps the baseline servable while the candidate waits on its branch, and a merge makes it active", async () => {
    const claim = await claimJob(world.store, request);
    if (!claim.claimed) throw new Error(claim.reason);
    expect((await world.store.getTaskState("classify"))!.feedback_since_optimization).toBe(0);
    const { job } = await executeJob(world.store, claim, {
      shipper: localBranchShipper(world.store),
      run: { endpoint: { apiKey: "sk-test", baseURL: fake.baseURL }, cacheDir: null, seed: "jobs-test" },
    });
    expect(job).toMatchObject({ status: "SUCCESS", progress_step: "Branch kaizen/classify written" });
    const versions = await world.store.listPromptVersions("classify");
    expect(versions.map((v) => [v.version_number, v.status, v.prompt_text === SEED_PROMPT])).toEqual([
      [2, "candidate", false],
      [1, "active", true],
    ]);

    // Nothing merged yet: nothing changes.
    expect(await activateMergedCandidates(world.store, "classify")).toBeNull();
    await git("git", ["merge", "-q", "--ff-only", "kaizen/classify"], {
      cwd: world.dir,
      env: kaizenGitEnv(),
    });
    expect(await activateMergedCandidates(world.store, "classify")).toMatchObject({ version_number: 2 });
    expect((await world.store.listPromptVersions("classify")).map((v) => v.status)).toEqual([
      "active",
      "archived",
    ]);
  }, 120_000);

  it("activates what was merged: a person's edit of the candidate becomes its own active version", async () => {
    const claim = await claimJob(world.store, request);
    if (!claim.claimed) throw new Error(claim.reason);
    const { job } = await executeJob(world.store, claim, {
      shipper: localBranchShipper(world.store),
      run: { endpoint: { apiKey: "sk-test", baseURL: fake.baseURL }, cacheDir: null, seed: "jobs-test" },
    });
    const edited = `Reviewed by a person.\n${SEED_PROMPT}${RULES.refund}\n`;
    await git("git", ["checkout", "-q", "kaizen/classify"], { cwd: world.dir });
    await writeFile(path.join(world.dir, "prompts/classify.md"), edited);
    await git("git", ["commit", "-qam", "Edit in review"], { cwd: world.dir, env: kaizenGitEnv() });
    await git("git", ["checkout", "-q", "main"], { cwd: world.dir });
    await git("git", ["merge", "-q", "--ff-only", "kaizen/classify"], {
      cwd: world.dir,
      env: kaizenGitEnv(),
    });
    const { stdout: merge } = await git("git", ["rev-parse", "main"], { cwd: world.dir });

    const active = await activateMerged(world.store, "classify", job.prompt_version_id!, merge.trim());
    expect(active).toMatchObject({ version_number: 3, status: "active", prompt_text: edited });
    expect(
      (await world.store.listPromptVersions("classify")).map((v) => [v.version_number, v.status]),
    ).toEqual([
      [3, "active"],
      [2, "archived"],
      [1, "archived"],
    ]);
  }, 120_000);
});

describe("activating a version", () => {
  it("moves the pointer at once and ships the prompt file through the task's shipper", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-activate-"));
    try {
      const config = (await loadTasks(world.store)).tasks[0]!;
      const base = {
        task_id: "00000000-0000-4000-8000-000000000000",
        eval_score: null,
        optimizer: null,
        dspy_version: null,
        job_id: null,
        created_at: new Date().toISOString(),
      } as const;
      await world.store.putPromptVersion("classify", {
        ...base,
        id: "0190a000-0000-7000-8000-000000000001",
        version_number: 1,
        prompt_text: SEED_PROMPT,
        status: "archived",
      });
      await world.store.putPromptVersion("classify", {
        ...base,
        id: "0190a000-0000-7000-8000-000000000002",
        version_number: 2,
        prompt_text: `Be terse.\n${SEED_PROMPT}`,
        status: "active",
      });
      const { active, shipped } = await activateVersion(
        world.store,
        localBranchShipper(world.store),
        config,
        "0190a000-0000-7000-8000-000000000001",
      );
      expect(active).toMatchObject({ version_number: 1, status: "active" });
      expect(shipped).toBeNull(); // the file already says version 1
      const again = await activateVersion(
        world.store,
        localBranchShipper(world.store),
        config,
        "0190a000-0000-7000-8000-000000000002",
      );
      expect(again.shipped).toMatchObject({ branch: "kaizen/classify" });
      const { stdout } = await git("git", ["show", "kaizen/classify:prompts/classify.md"], {
        cwd: world.dir,
      });
      expect(stdout).toBe(`Be terse.\n${SEED_PROMPT}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
