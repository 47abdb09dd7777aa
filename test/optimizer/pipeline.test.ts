import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, taskId } from "../../src/core/ids.js";
import { Job } from "../../src/core/records.js";
import { runOptimizationJob, type JobOptions } from "../../src/optimizer/pipeline.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { layout } from "../../src/store/layout.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, RULES, worldRepo } from "./helpers/world.js";

const run = promisify(execFile);

let fake: FakeOpenAI;
let world: { dir: string; store: LocalGitStore };
let cacheDir: string;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  world = await worldRepo(60);
  cacheDir = await mkdtemp(path.join(tmpdir(), "kaizen-cache-"));
});
afterEach(async () => {
  await fake.close();
  await rm(world.dir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

async function newJob(): Promise<string> {
  const job = Job.parse({
    id: newId(),
    task_id: taskId("local", "classify"),
    status: "PENDING",
    triggered_by: "manual",
    created_at: new Date().toISOString(),
  });
  await world.store.putJob("classify", job);
  return job.id;
}

// A fixed seed, so whether a run ships never depends on the random job id.
const options = (jobId: string, extra: Partial<JobOptions> = {}): JobOptions => ({
  store: world.store,
  task: "classify",
  jobId,
  endpoint: { apiKey: "sk-test", baseURL: fake.baseURL },
  cacheDir,
  concurrency: 4,
  seed: "pipeline-test",
  ...extra,
});

describe("an optimization job", () => {
  it("finds the rules the critiques name, proves the gain on held-out data, and records the candidate", async () => {
    installBrains(fake);
    const jobId = await newJob();
    const steps: string[] = [];
    const outcome = await runOptimizationJob(options(jobId, { onProgress: (e) => steps.push(e.step) }));
    expect(outcome.ship).not.toBeNull();
    expect(outcome.ship!.text).toContain(RULES.refund);
    expect(outcome.ship!.text).toContain(RULES.crash);
    expect(outcome.ship!.text).toContain("{{ticket}}");
    expect(outcome.job).toMatchObject({ status: "COMPILING", prompt_version_id: outcome.ship!.version.id });
    expect(outcome.job.job_metadata).toMatchObject({
      train_size: 30,
      val_size: 18,
      test_size: 12,
      models: { teacher: "sim-teacher" },
    });
    expect(outcome.job.job_metadata!.actual_usd as number).toBeGreaterThan(0);
    expect(outcome.report).toContain("✅ **Better: the candidate scores");
    expect(outcome.report).toContain("```diff");
    expect(outcome.report).toMatch(/\+Tickets about (refunds are billing|crashes are technical)\./);
    const versions = await world.store.listPromptVersions("classify");
    expect(versions[0]).toMatchObject({ status: "candidate", optimizer: "kaizen", job_id: jobId });
    const ledger = await world.store.transact("read", async (tx) =>
      tx.read(layout.ledger("classify", jobId)),
    );
    expect(ledger!.split("\n").filter(Boolean).length).toBeGreaterThan(3);
    expect(steps.at(-1)).toBe("done: a better prompt");
  });

  it("ships nothing when no proposal truly helps: SUCCESS with no significant improvement", async () => {
    installBrains(fake, { teacher: "null" });
    const jobId = await newJob();
    const outcome = await runOptimizationJob(options(jobId));
    expect(outcome.ship).toBeNull();
    expect(outcome.job).toMatchObject({ status: "SUCCESS", progress_step: "No significant improvement" });
    expect(outcome.report).toMatch(/❌ \*\*(Not better beyond noise|No better prompt):/);
    expect(
      (await world.store.listPromptVersions("classify")).filter((v) => v.status === "candidate"),
    ).toEqual([]);
  });

  it("stops at the budget, never spending past it", async () => {
    installBrains(fake);
    const outcome = await runOptimizationJob(options(await newJob(), { maxCostUsd: 0.07 }));
    expect(outcome.job.job_metadata!.actual_usd as number).toBeLessThanOrEqual(0.07);
    expect(outcome.job.job_metadata!.estimate_usd as number).toBeLessThanOrEqual(0.07);
  });

  it("refuses to start when the budget cannot pay for the smallest run, before any model call", async () => {
    installBrains(fake);
    const jobId = await newJob();
    await expect(runOptimizationJob(options(jobId, { maxCostUsd: 0.01 }))).rejects.toThrow(
      "the budget of $0.01 cannot pay for even 3 iterations",
    );
    expect((await world.store.getJob(jobId))!.job).toMatchObject({
      status: "FAILED",
      error_message: expect.stringContaining("raise cost_budget"),
    });
    expect(fake.calls).toBe(0);
  });

  it("fails the job with the reason when the model goes down mid-run, writing no candidate", async () => {
    installBrains(fake);
    fake.failAfter(40);
    const jobId = await newJob();
    const error = await runOptimizationJob(options(jobId, { retry: { maxAttempts: 3, backoffMs: 5 } })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/failed after \d+ attempt/);
    const job = (await world.store.getJob(jobId))!.job;
    expect(job).toMatchObject({ status: "FAILED", error_message: expect.stringMatching(/HTTP 500/) });
    expect(
      (await world.store.listPromptVersions("classify")).filter((v) => v.status === "candidate"),
    ).toEqual([]);
    const { stdout } = await run("git", ["branch", "--list", "kaizen/classify"], { cwd: world.dir });
    expect(stdout).toBe("");
  }, 60_000);

  it("replays a re-run of the same job from the cache with zero new model calls", async () => {
    installBrains(fake);
    const first = await newJob();
    const a = await runOptimizationJob(options(first));
    const calls = fake.calls;
    const second = await newJob();
    const b = await runOptimizationJob(options(second));
    expect(fake.calls).toBe(calls);
    expect(b.ship?.text).toBe(a.ship?.text);
    expect(b.job.job_metadata).toMatchObject({ llm_calls: 0, actual_usd: 0 });
  });

  it("reports and does not search below 30 usable records", async () => {
    await rm(world.dir, { recursive: true, force: true });
    world = await worldRepo(12);
    installBrains(fake);
    const outcome = await runOptimizationJob(options(await newJob()));
    expect(outcome.job).toMatchObject({
      status: "SUCCESS",
      progress_step: expect.stringContaining("only 12 usable feedback entries"),
    });
    expect(outcome.job.progress_step).toContain("18 more are needed");
    expect(fake.calls).toBe(0);
  });
});

describe("kaizen serve's local worker", () => {
  it("runs a triggered job to SUCCESS and writes the kaizen/<task> branch, as the seeds' polling loop expects", async () => {
    const { startLocalServer } = await import("../../src/app/local.js");
    const { localJobRunner } = await import("../../src/optimizer/local-runner.js");
    const fake = await FakeOpenAI.start();
    installBrains(fake);
    const world = await worldRepo(60);
    const server = await startLocalServer({
      repoDir: world.dir,
      port: 0,
      runJob: localJobRunner({ apiKey: "sk-test", baseURL: fake.baseURL }, null, "pipeline-test"),
    });
    try {
      const headers = { "x-api-key": server.apiKey };
      const started = (await (
        await fetch(`${server.url}/api/v1/tasks/classify/optimize`, { method: "POST", headers })
      ).json()) as { job: { id: string } };
      let job: { status: string; pr_url: string | null; progress_step: string } = {
        status: "PENDING",
        pr_url: null,
        progress_step: "",
      };
      for (let i = 0; i < 400 && !["SUCCESS", "FAILED", "PR_FAILED"].includes(job.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        job = (await (
          await fetch(`${server.url}/api/v1/jobs/${started.job.id}`, { headers })
        ).json()) as typeof job;
      }
      expect(job).toMatchObject({ status: "SUCCESS", progress_step: "Branch kaizen/classify written" });
      const { stdout } = await run("git", ["show", "kaizen/classify:prompts/classify.md"], {
        cwd: world.dir,
      });
      expect(stdout).toContain(RULES.crash);
    } finally {
      await server.close();
      await fake.close();
      await rm(world.dir, { recursive: true, force: true });
    }
  });
});
