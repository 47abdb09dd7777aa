import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KaizenClient, KaizenRequestError } from "../../src/sdk/index.js";
import { ScriptedServer } from "./helpers/scripted-server.js";

const PROMPT = {
  id: "01a20800-0000-7000-8000-000000000001",
  task_id: "01a20800-0000-7000-8000-000000000002",
  version_number: 3,
  prompt_text: "Summarize {{ticket}}",
  status: "active",
  created_at: "2026-11-23T00:00:00Z",
};

let server: ScriptedServer;
let warnings: string[];
beforeEach(async () => {
  server = await ScriptedServer.start();
  warnings = [];
  server.answer = (seen) => {
    if (seen.path.endsWith("/prompt"))
      return seen.headers["if-none-match"] === '"v3"'
        ? { status: 304, body: null, headers: { etag: '"v3"' } }
        : { status: 200, body: PROMPT, headers: { etag: '"v3"' } };
    if (seen.path === "/api/v1/feedback/batch")
      return {
        status: 201,
        body: { feedback: [], added: (seen.body as { feedback: unknown[] }).feedback.length },
      };
    return { status: 200, body: {} };
  };
});
afterEach(() => server.close());

const client = (options: ConstructorParameters<typeof KaizenClient>[0] = {}) =>
  new KaizenClient({
    apiKey: "kz_test",
    baseUrl: server.url,
    timeout: 0.3,
    maxRetries: 2,
    onWarning: (m) => warnings.push(m),
    ...options,
  });
const prompts = () => server.seen.filter((s) => s.path.endsWith("/prompt")).length;

describe("getPrompt when Kaizen is slow or down", () => {
  it("makes one request for many concurrent calls, then serves from the cache", async () => {
    const kaizen = client();
    const results = await Promise.all(Array.from({ length: 20 }, () => kaizen.getPrompt("summarize")));
    expect(results.every((r) => r.source === "fresh" && r.prompt.version_number === 3)).toBe(true);
    await kaizen.getPrompt("summarize");
    expect(prompts()).toBe(1);
  });

  it("serves an expired entry at once and revalidates it in the background with its ETag", async () => {
    const kaizen = client({ cacheTtl: 0.01 });
    await kaizen.getPrompt("summarize");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await kaizen.getPrompt("summarize")).source).toBe("stale");
    await vi.waitFor(() => expect(server.seen.at(-1)!.headers["if-none-match"]).toBe('"v3"'));
  });

  it("keeps serving the stale prompt while the server is down, with a warning, not an exception", async () => {
    const kaizen = client({ cacheTtl: 0.01, maxRetries: 0 });
    await kaizen.getPrompt("summarize");
    server.mode = { kind: "down" };
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 0; i < 3; i++)
      expect((await kaizen.getPrompt("summarize")).prompt.prompt_text).toBe("Summarize {{ticket}}");
    await vi.waitFor(() =>
      expect(warnings.some((w) => w.includes("serving a stale prompt for summarize"))).toBe(true),
    );
  });

  it("stops serving a stale prompt past maxStaleAge and falls back instead", async () => {
    const kaizen = client({ cacheTtl: 0.01, maxStaleAge: 0.05, maxRetries: 0 });
    await kaizen.getPrompt("summarize");
    server.mode = { kind: "down" };
    await new Promise((resolve) => setTimeout(resolve, 80));
    const result = await kaizen.getPrompt("summarize", { fallback: "Summarize this: {{ticket}}" });
    expect(result).toMatchObject({
      source: "fallback",
      prompt: { prompt_text: "Summarize this: {{ticket}}" },
    });
  });

  it("serves the caller's fallback when nothing is cached and the server stalls", async () => {
    server.mode = { kind: "stall" };
    const kaizen = client({ maxRetries: 0 });
    const result = await kaizen.getPrompt("summarize", { fallback: "Summarize this: {{ticket}}" });
    expect(result).toMatchObject({
      source: "fallback",
      prompt: { prompt_text: "Summarize this: {{ticket}}" },
    });
    expect(warnings[0]).toContain("serving the fallback prompt for summarize");
    await expect(kaizen.getPrompt("summarize")).rejects.toBeInstanceOf(KaizenRequestError);
  });

  it("evicts a prompt whose task is gone instead of serving it forever", async () => {
    const kaizen = client({ cacheTtl: 0.01 });
    await kaizen.getPrompt("summarize");
    server.mode = { kind: "status", status: 404 };
    await new Promise((resolve) => setTimeout(resolve, 30));
    await kaizen.getPrompt("summarize");
    // The background revalidation learns of the 404 and evicts; how soon depends on the machine.
    await vi.waitFor(() => expect(kaizen.getPrompt("summarize")).rejects.toMatchObject({ status: 404 }));
  });
});

describe("requests", () => {
  it("retries a 429 after the Retry-After it names, with the same Idempotency-Key", async () => {
    // Answered 429 once, whatever the machine's load: a timer racing the first request could
    // flip the server back to ok before that request arrived.
    server.mode = { kind: "status", status: 429, headers: { "retry-after": "0.2" }, times: 1 };
    const kaizen = client({ timeout: 5 });
    const started = performance.now();
    await kaizen.logFeedback({ taskId: "summarize", output: "x", score: 1 }).catch(() => {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    const posts = server.seen.filter((s) => s.method === "POST");
    expect(posts.length).toBe(2);
    expect(posts[0]!.headers["idempotency-key"]).toBe(posts[1]!.headers["idempotency-key"]);
    expect(posts[0]!.headers["x-request-id"]).toBe(posts[1]!.headers["x-request-id"]);
  });

  it("does not retry a 409", async () => {
    server.mode = { kind: "status", status: 409 };
    await expect(client().triggerOptimization("summarize")).rejects.toMatchObject({
      status: 409,
      detail: "scripted 409",
    });
    expect(server.seen).toHaveLength(1);
  });
});

describe("background feedback", () => {
  it("survives an outage and delivers everything exactly once after it", async () => {
    server.mode = { kind: "status", status: 503 };
    const kaizen = client({ background: true, flushAt: 5, flushInterval: 0.02, maxRetries: 0 });
    for (let i = 0; i < 12; i++)
      await kaizen.logFeedback({
        taskId: "summarize",
        output: `o${i}`,
        score: 1,
        id: `01a20800-0000-7000-8000-0000000000${String(i).padStart(2, "0")}`,
      });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kaizen.queueStats.feedback.sent).toBe(0);
    server.mode = { kind: "ok" };
    await kaizen.close();
    const delivered = server.seen
      .filter((s) => s.path === "/api/v1/feedback/batch" && s.method === "POST")
      .slice(-3)
      .flatMap((s) => (s.body as { feedback: { id: string }[] }).feedback.map((f) => f.id));
    expect(kaizen.queueStats.feedback).toMatchObject({ sent: 12, dropped: 0 });
    expect(new Set(delivered).size).toBe(delivered.length);
  });

  it("pauses sending after repeated failures instead of hammering a server that is down", async () => {
    server.mode = { kind: "status", status: 503 };
    const kaizen = client({ background: true, flushAt: 1, flushInterval: 0.01, maxRetries: 0 });
    for (let i = 0; i < 5; i++) await kaizen.logFeedback({ taskId: "summarize", output: `o${i}`, score: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kaizen.queueStats.feedback.breakerOpen).toBe(true);
    expect(server.seen.length).toBeLessThanOrEqual(4);
  });

  it("counts and reports what a full queue has to drop", async () => {
    server.mode = { kind: "status", status: 503 };
    const kaizen = client({ background: true, maxQueueSize: 3, flushAt: 100, maxRetries: 0 });
    for (let i = 0; i < 5; i++) await kaizen.logFeedback({ taskId: "summarize", output: `o${i}`, score: 1 });
    expect(kaizen.queueStats.feedback.dropped).toBe(2);
    expect(
      warnings.filter((w) => w.startsWith("dropped 1 queued entry: the queue holds 3 entries")),
    ).toHaveLength(2);
  });
});

describe("serverless", () => {
  it("hands each background send to the platform's waitUntil, so nothing is lost when the function returns", async () => {
    const handed: Promise<unknown>[] = [];
    const kaizen = client({ background: true, waitUntil: (promise) => handed.push(promise) });
    await kaizen.logFeedback({ taskId: "summarize", output: "x", score: 1 });
    expect(handed.length).toBe(1);
    await Promise.all(handed);
    expect(server.seen.filter((s) => s.path === "/api/v1/feedback/batch")).toHaveLength(1);
  });
});

describe("cache control", () => {
  it("clears exactly the activated or invalidated task's entry", async () => {
    server.answer = (seen) =>
      seen.path.endsWith("/activate")
        ? { status: 200, body: PROMPT }
        : { status: 200, body: PROMPT, headers: { etag: '"v3"' } };
    const kaizen = client();
    await kaizen.getPrompt("a");
    await kaizen.getPrompt("b");
    await kaizen.activatePrompt("a", PROMPT.id);
    await kaizen.getPrompt("a");
    await kaizen.getPrompt("b");
    expect(server.seen.filter((s) => s.path.endsWith("/prompt")).map((s) => s.path)).toEqual([
      "/api/v1/tasks/a/prompt",
      "/api/v1/tasks/b/prompt",
      "/api/v1/tasks/a/prompt",
    ]);
    kaizen.invalidate("b");
    await kaizen.getPrompt("b");
    expect(server.seen.filter((s) => s.path.endsWith("/prompt"))).toHaveLength(4);
  });
});
