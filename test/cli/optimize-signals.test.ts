/**
 * `kaizen optimize` as a real process: Ctrl-C (a real SIGINT) ends its job FAILED "cancelled",
 * and a runner killed outright (SIGKILL) leaves a job that the next look reaps once its
 * heartbeat is older than the stated time.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../../src/core/records.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { builtEntry } from "../helpers/built.js";
import { installBrains, worldRepo } from "../optimizer/helpers/world.js";
import { kaizen } from "./helpers/run-cli.js";

let fake: FakeOpenAI;
let world: { dir: string; store: LocalGitStore };
let cache: string;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  installBrains(fake);
  // Slow enough that the run is surely mid-search when the signal arrives.
  fake.latencyMs = 200;
  world = await worldRepo(100);
  cache = await mkdtemp(path.join(tmpdir(), "kaizen-xdg-"));
});
afterEach(async () => {
  await fake.close();
  await rm(world.dir, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
});

/** Starts `kaizen optimize` and resolves once its job is EVALUATING (the models are being called). */
async function optimizeUntilEvaluating() {
  const child = spawn(process.execPath, [builtEntry("cli/index"), "optimize", "--task", "classify"], {
    cwd: world.dir,
    env: {
      PATH: process.env.PATH!,
      HOME: cache,
      XDG_CACHE_HOME: cache,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.baseURL,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const done = exited.then(() => true);
  let job: Job | undefined;
  for (let i = 0; i < 300 && job?.status !== "EVALUATING"; i++) {
    if (await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve(false), 0))]))
      throw new Error(`kaizen optimize ended early:\n${err}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    job = (await world.store.listJobs("classify"))[0];
  }
  expect(job?.status).toBe("EVALUATING");
  return { child, exited, job: job!, err: () => err };
}

describe("kaizen optimize interrupted", () => {
  it("ends its job FAILED, cancelled, on Ctrl-C, so the next run is not blocked", async () => {
    const { child, exited, job, err } = await optimizeUntilEvaluating();
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(err()).toContain(`cancelled (Ctrl-C): marking job ${job.id} FAILED`);
    expect((await world.store.getJob(job.id))!.job).toMatchObject({
      status: "FAILED",
      error_message: "cancelled (Ctrl-C)",
    });
  }, 120_000);

  it("leaves a job a killed runner held to the next look, which fails it once its heartbeat is stale", async () => {
    const { child, exited, job } = await optimizeUntilEvaluating();
    child.kill("SIGKILL");
    await exited;
    expect((await world.store.getJob(job.id))!.job.status).toBe("EVALUATING");

    const fresh = await kaizen(world.dir, {}, "jobs", "list", "--json");
    expect(JSON.parse(fresh.out)[0]).toMatchObject({ id: job.id, status: "EVALUATING" });

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stale = await kaizen(world.dir, { KAIZEN_STALE_AFTER_SECONDS: "1" }, "jobs", "list", "--json");
    expect(stale.code).toBe(0);
    expect(JSON.parse(stale.out)[0]).toMatchObject({
      id: job.id,
      status: "FAILED",
      error_message: expect.stringMatching(
        /^the runner vanished: no heartbeat for 1 seconds while EVALUATING/,
      ),
    });
  }, 120_000);
});
