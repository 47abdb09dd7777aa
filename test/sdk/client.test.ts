import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { transition } from "../../src/core/job-state.js";
import type { Job } from "../../src/core/records.js";
import { KaizenAPIError, KaizenClient, KaizenConfigError } from "../../src/sdk/index.js";
import type { Store } from "../../src/store/store.js";
import { logUsableFeedback, startTestApi, type TestApi } from "../app/helpers/local-api.js";

/** The runJob of these tests: moves a job through its states the way the optimizer would. */
async function fakeRun(store: Store, _task: string, job: Job) {
  for (const to of ["RUNNING", "EVALUATING", "COMPILING", "SUCCESS"] as const) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    await store.updateJob(job.id, (j) => transition(j, to, { progress_step: `now ${to}` }));
  }
}

describe("KaizenClient against kaizen serve", () => {
  let api: TestApi;
  let kaizen: KaizenClient;
  beforeEach(async () => {
    api = await startTestApi({ runJob: fakeRun });
    kaizen = new KaizenClient({ apiKey: api.server.apiKey, baseUrl: api.server.url, onWarning: () => {} });
  });
  afterEach(async () => {
    await kaizen.close();
    await api.close();
  });

  it("reads its key and base URL from the environment, and says when there is no key", () => {
    expect(() => new KaizenClient({ env: {} })).toThrow(KaizenConfigError);
    expect(() => new KaizenClient({ env: {} })).toThrow(
      "no Kaizen API key: pass { apiKey } or set KAIZEN_API_KEY",
    );
    expect(new KaizenClient({ env: { KAIZEN_API_KEY: "k" } })).toBeInstanceOf(KaizenClient);
  });

  it("runs the seeds' examples: tasks, feedback, prompts, optimization and polling", async () => {
    const task = await kaizen.createTask({
      name: "summarize",
      description: "Summarizes customer support tickets into one sentence.",
      feedback_threshold: 100,
      teacher_model: "gpt-4o",
      judge_model: "gpt-4o-mini",
      prompt_path: "prompts/summarize.md",
      prompt: "Summarize {{ticket}}",
    });
    expect(task).toMatchObject({ name: "summarize", feedback_threshold: 100 });
    expect((await kaizen.listTasks()).map((t) => t.name)).toContain("summarize");
    const result = await kaizen.logFeedback({
      taskId: task.id,
      inputs: { ticket: "Login broken" },
      output: "User cannot log in.",
      score: 0.95,
      metadata: { session_id: "abc123" },
    });
    expect(result).toMatchObject({ task_id: task.id, score: 0.95, source: "sdk" });
    expect((await kaizen.getTask("summarize")).feedback_count).toBe(1);
    const prompt = await kaizen.getPrompt(task.id);
    expect(prompt).toMatchObject({
      source: "fresh",
      prompt: { prompt_text: "Summarize {{ticket}}", version_number: 1 },
    });
    expect((await kaizen.listPrompts("summarize")).map((p) => p.version_number)).toEqual([1]);
    expect((await kaizen.activatePrompt("summarize", prompt.prompt.id)).status).toBe("active");
    // One entry is too little to search: refused before a job exists, as the SDK's error type.
    const early = await kaizen.triggerOptimization(task.id).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(KaizenAPIError);
    expect(early).toMatchObject({ status: 422, detail: expect.stringContaining("29 more are needed") });
    expect(await kaizen.listJobs({ taskId: task.id })).toEqual([]);
    await logUsableFeedback(api, "summarize");
    const optimize = await kaizen.triggerOptimization(task.id);
    expect(optimize.job.status).toBe("PENDING");
    expect(optimize.cost_estimate.estimated_cost_usd).toBeGreaterThanOrEqual(0);
    const seen: string[] = [];
    const done = await kaizen.waitForJob(optimize.job.id, {
      interval: 0.02,
      onProgress: (job) => seen.push(job.status),
    });
    expect(done.status).toBe("SUCCESS");
    expect(seen.at(-1)).toBe("SUCCESS");
    expect((await kaizen.listJobs({ taskId: task.id })).map((j) => j.id)).toEqual([optimize.job.id]);
    expect(await kaizen.getJob(optimize.job.id)).toMatchObject({ status: "SUCCESS" });
  });

  it("raises KaizenAPIError with status, detail and request id, and never retries a 409", async () => {
    await logUsableFeedback(api, "summarize_ticket");
    const first = await kaizen.triggerOptimization("summarize_ticket");
    const error = await kaizen.triggerOptimization("summarize_ticket").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KaizenAPIError);
    expect(error).toMatchObject({ status: 409, detail: expect.stringContaining(first.job.id) });
    expect((error as KaizenAPIError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(kaizen.getTask("nope")).rejects.toMatchObject({ status: 404 });
    await expect(kaizen.retryPr(first.job.id)).rejects.toMatchObject({ status: 409 });
  });

  it("sends background feedback in batches and delivers everything on close()", async () => {
    const background = new KaizenClient({
      apiKey: api.server.apiKey,
      baseUrl: api.server.url,
      background: true,
      flushAt: 10,
      onWarning: () => {},
    });
    for (let i = 0; i < 25; i++)
      await background.logFeedback({
        taskId: "summarize_ticket",
        inputs: { ticket: `t${i}` },
        output: "s",
        score: 1,
      });
    await background.close();
    expect(background.queueStats.feedback).toMatchObject({ sent: 25, dropped: 0, queued: 0 });
    expect((await kaizen.getTask("summarize_ticket")).feedback_count).toBe(25);
  });

  it("scores a trace recorded through the client, turning it into feedback", async () => {
    kaizen.recordTrace({
      id: "01a20800-0000-7000-8000-000000000001",
      task_id: "summarize_ticket",
      prompt_text: "Summarize: x",
      response_text: "x.",
    });
    const scored = await kaizen.score("01a20800-0000-7000-8000-000000000001", 0.85, "human-review");
    expect(scored).toMatchObject({ score: 0.85, scored_by: "human-review" });
    expect((await kaizen.getTask("summarize_ticket")).feedback_count).toBe(1);
  });

  it("supports await using", async () => {
    {
      await using scoped = new KaizenClient({
        apiKey: api.server.apiKey,
        baseUrl: api.server.url,
        background: true,
        onWarning: () => {},
      });
      await scoped.logFeedback({
        taskId: "summarize_ticket",
        output: "x",
        score: 1,
        inputs: { ticket: "t" },
      });
    }
    expect((await kaizen.getTask("summarize_ticket")).feedback_count).toBe(1);
  });
});

describe("the SDK package", () => {
  it("imports nothing node-only and nothing from the app, store or optimizer", () => {
    const dir = path.join(import.meta.dirname, "..", "..", "src", "sdk");
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(path.join(dir, file), "utf8").matchAll(/from "([^"]+)"/g)].map(
        (m) => m[1]!,
      );
      for (const spec of imports) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(
          /^node:|\/(app|store|optimizer|action|cli|github)\//,
        );
        // canary-split: the server's unit hash, shared so the SDK decides exactly as it does (Web Crypto).
        if (spec.startsWith("../"))
          expect(spec, `${file} imports ${spec}`).toMatch(/^\.\.\/core\/(records|errors|canary-split)\.js$/);
      }
    }
  });
});
