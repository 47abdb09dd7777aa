import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { optimizeTask as optimizeTaskOf, type OptimizeTaskOptions } from "../../src/jobs/optimize.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, RULES, worldRepo } from "./helpers/world.js";

const run = promisify(execFile);

let fake: FakeOpenAI;
let world: { dir: string; store: LocalGitStore };
let cacheDir: string;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  world = await worldRepo(100);
  cacheDir = await mkdtemp(path.join(tmpdir(), "kaizen-cache-"));
});
afterEach(async () => {
  await fake.close();
  await rm(world.dir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

/** The task "classify" of the options' repository, optimized. */
const optimizePrompt = (options: OptimizeTaskOptions & { store: LocalGitStore }) =>
  optimizeTaskOf(options.store, "classify", options);

// A fixed seed, so whether a run ships never depends on the random job id.
const options = (
  extra: Partial<OptimizeTaskOptions> = {},
): OptimizeTaskOptions & { store: LocalGitStore } => ({
  store: world.store,
  endpoint: { apiKey: "sk-test", baseURL: fake.baseURL },
  cacheDir,
  concurrency: 4,
  seed: "pipeline-test",
  ...extra,
});

describe("the optimization pipeline", () => {
  it("finds the rules the critiques name and proves the gain on held-out data, writing nothing", async () => {
    installBrains(fake);
    const steps: string[] = [];
    const before = await run("git", ["rev-parse", "kaizen/data"], { cwd: world.dir });
    const result = await optimizePrompt(options({ onProgress: (e) => steps.push(e.step) }));
    expect(result.verdict).toBe("better");
    expect(result.candidate!.fileText).toContain(RULES.refund);
    expect(result.candidate!.fileText).toContain(RULES.crash);
    expect(result.candidate!.fileText).toContain("{{ticket}}");
    expect(result.metadata).toMatchObject({
      train_size: 50,
      val_size: 30,
      test_size: 20,
      models: { teacher: "sim-teacher" },
    });
    expect(result.metadata.actual_usd as number).toBeGreaterThan(0);
    expect(result.report).toContain("✅ **Better: the candidate scores");
    expect(result.report).toContain("```diff");
    expect(result.report).toMatch(/\+Tickets about (refunds are billing|crashes are technical)\./);
    expect(result.ledger!.split("\n").filter(Boolean).length).toBeGreaterThan(3);
    expect(steps.at(-1)).toBe("done: a better prompt");
    // A pure pipeline: the data branch is where it was.
    expect(await run("git", ["rev-parse", "kaizen/data"], { cwd: world.dir })).toEqual(before);
  });

  it("tells the winner's lineage in words, and says the cost is Kaizen's count when the server left usage out", async () => {
    installBrains(fake);
    fake.behave("sim-student", { omitUsageEvery: 2 });
    const result = await optimizePrompt(options());
    expect(result.verdict).toBe("better");
    const report = result.report;
    expect(result.evidence.calls.usageCounted).toBeGreaterThan(0);
    expect(report.split("\n")[2]).toMatch(
      / found for \$\d\.\d{4} of model calls \(usage counted by Kaizen\)/,
    );
    expect(report).toMatch(/<summary>Cost \$\d\.\d{4} \(usage counted by Kaizen\) of /);
    expect(report).toMatch(/Usage counted by Kaizen: \d+ responses of the model server came without `usage`/);
    // Each accepted step, oldest first, with what it did to the validation score; no ids.
    expect(report).toMatch(/How the search got here, from the active prompt in \d+ accepted steps?/);
    expect(report).toMatch(
      /\n1\. Rewrote the instruction: .+ Validation score \d+\.\d% → \d+\.\d% on 30 examples\./,
    );
    expect(report).not.toMatch(/#\d+:/);
    // Decided first: the scores before the change, the whole prompt after the figures.
    expect(report.indexOf("### Held-out scores")).toBeLessThan(report.indexOf("### The change"));
    expect(report.indexOf("The new prompt in full")).toBeGreaterThan(report.indexOf("### The evaluator"));
  });

  it("ships nothing when no proposal truly helps: no significant improvement", async () => {
    installBrains(fake, { teacher: "null" });
    const result = await optimizePrompt(options());
    expect(result).toMatchObject({
      verdict: "no-improvement",
      step: "No significant improvement",
      candidate: null,
    });
    expect(result.report).toMatch(/❌ \*\*(Not better|Not significant|No better prompt):/);
  });

  it("stops at the budget, never spending past it", async () => {
    installBrains(fake);
    const result = await optimizePrompt(options({ maxCostUsd: 0.12 }));
    expect(result.metadata.actual_usd as number).toBeLessThanOrEqual(0.12);
    expect(result.metadata.estimate_usd as number).toBeLessThanOrEqual(0.12);
  });

  it("refuses to start when the budget cannot pay for the smallest run, before any model call", async () => {
    installBrains(fake);
    await expect(optimizePrompt(options({ maxCostUsd: 0.01 }))).rejects.toThrow(
      "the budget of $0.01 cannot pay for even 3 iterations",
    );
    await expect(optimizePrompt(options({ maxCostUsd: 0.01 }))).rejects.toThrow("raise cost_budget");
    expect(fake.calls).toBe(0);
  });

  it("fails with the reason when the model goes down mid-run", async () => {
    installBrains(fake);
    fake.failAfter(40);
    const error = await optimizePrompt(options({ retry: { maxAttempts: 3, backoffMs: 5 } })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/failed after \d+ attempt/);
    expect((error as Error).message).toMatch(/HTTP 500/);
  }, 60_000);

  it("replays a re-run with the same seed from the cache with zero new model calls", async () => {
    installBrains(fake);
    const a = await optimizePrompt(options());
    const calls = fake.calls;
    const b = await optimizePrompt(options());
    expect(fake.calls).toBe(calls);
    expect(b.candidate?.fileText).toBe(a.candidate?.fileText);
    expect(b.metadata).toMatchObject({ llm_calls: 0, actual_usd: 0 });
  });

  it("ships a large significant gain from the first job's 60 entries (12 held out), with the small-sample warning", async () => {
    await rm(world.dir, { recursive: true, force: true });
    world = await worldRepo(60);
    installBrains(fake);
    // Every seed, not a lucky one: before, all three said "Not better beyond noise" (100% vs 16.7%).
    for (const seed of ["first-a", "first-b", "first-c"]) {
      const result = await optimizePrompt(options({ seed }));
      expect(result.verdict, seed).toBe("better");
      expect(result.metadata.test_size).toBe(12);
      expect(result.report).toContain("✅ **Better: the candidate scores");
      expect(result.report).toContain("> [!WARNING]\n> Only 12 held-out examples");
    }
  }, 120_000);

  it("reports and does not search below 30 usable records", async () => {
    await rm(world.dir, { recursive: true, force: true });
    world = await worldRepo(12);
    installBrains(fake);
    const result = await optimizePrompt(options());
    expect(result.verdict).toBe("skipped");
    expect(result.step).toContain("only 12 usable feedback entries");
    expect(result.step).toContain("18 more are needed");
    expect(fake.calls).toBe(0);
  });
});

describe("kaizen serve's local worker", () => {
  it("runs a triggered job to SUCCESS and writes the kaizen/<task> branch, as the seeds' polling loop expects", async () => {
    const { startLocalServer } = await import("../../src/app/local.js");
    const { localJobRunner } = await import("../../src/app/local-worker.js");
    const fake = await FakeOpenAI.start();
    installBrains(fake);
    const world = await worldRepo(100);
    const server = await startLocalServer({
      repoDir: world.dir,
      port: 0,
      runJob: localJobRunner({ apiKey: "sk-test", baseURL: fake.baseURL }, null, { seed: "pipeline-test" }),
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
      // The job runs on a thread of its own, which first loads the optimizer: polled until it
      // ends, the test's timeout the bound.
      while (!["SUCCESS", "FAILED", "PR_FAILED"].includes(job.status)) {
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
  }, 120_000);
});
