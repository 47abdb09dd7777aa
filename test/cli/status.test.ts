import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { worldRepo } from "../optimizer/helpers/world.js";
import { kaizen } from "./helpers/run-cli.js";

let world: { dir: string; store: LocalGitStore };
beforeEach(async () => {
  world = await worldRepo(60);
});
afterEach(() => rm(world.dir, { recursive: true, force: true }));

describe("kaizen status after a local run", () => {
  it("shows why the last job failed, and the feedback counter as the run left it", async () => {
    // A model endpoint that refuses every connection: the run fails, with a reason. Each call is
    // still attempted six times, only with a 1 ms backoff instead of 0.5 s doubling.
    const env = {
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      XDG_CACHE_HOME: world.dir,
      KAIZEN_MODEL_RETRY_BACKOFF_MS: "1",
    };
    await kaizen(world.dir, env, "optimize", "--task", "classify");
    const [job] = await world.store.listJobs("classify");
    expect(job?.status).toBe("FAILED");
    expect(job?.error_message).toContain("failed after 6 attempt(s)");
    const state = await world.store.getTaskState("classify");
    // The run took the 60 entries it started from: the counter starts again from 0.
    expect(state?.feedback_since_optimization).toBe(0);

    const { code, out } = await kaizen(world.dir, {}, "status");
    expect(code).toBe(0);
    expect(out).toContain(`FAILED ${job!.error_message!.split("\n")[0]}`);
    expect(out).toMatch(new RegExp(`classify\\s+60\\s+${state!.feedback_since_optimization}/50`));
    const [row] = JSON.parse((await kaizen(world.dir, {}, "status", "--json")).out) as {
      since_last_optimization: number;
      last_job: { error_message: string };
    }[];
    expect(row).toMatchObject({
      since_last_optimization: state!.feedback_since_optimization,
      last_job: { error_message: job!.error_message },
    });
  });
});
