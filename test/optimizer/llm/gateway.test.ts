import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { priceTable } from "../../../src/core/prices.js";
import { Budget } from "../../../src/optimizer/budget.js";
import {
  BudgetExceededError,
  LlmCallError,
  MissingModelEndpointError,
} from "../../../src/optimizer/errors.js";
import { ResponseCache } from "../../../src/optimizer/llm/cache.js";
import { endpointFromEnv, OpenAIGateway, retryFromEnv } from "../../../src/optimizer/llm/gateway.js";
import type { CompletionRequest } from "../../../src/optimizer/llm/types.js";
import { FakeOpenAI } from "../../fakes/openai/server.js";

let fake: FakeOpenAI;
let cacheDir: string;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  cacheDir = await mkdtemp(path.join(tmpdir(), "kaizen-llm-cache-"));
});
afterEach(async () => {
  await fake.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const PRICES = priceTable({ "sim-model": { input_per_mtok: 1, output_per_mtok: 2 } });
const ask = (n: number, extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  role: "student",
  model: "sim-model",
  messages: [{ role: "user", content: `question ${n}` }],
  maxTokens: 100,
  temperature: 0,
  ...extra,
});

function gateway(options: { limit?: number | null; concurrency?: number; dir?: string | null } = {}) {
  const budget = new Budget(options.limit === undefined ? null : options.limit);
  const gw = new OpenAIGateway({
    apiKey: "sk-test",
    baseURL: fake.baseURL,
    prices: PRICES,
    budget,
    cache: new ResponseCache(options.dir === undefined ? cacheDir : options.dir),
    concurrency: options.concurrency ?? 4,
    backoffMs: 5,
  });
  return { gw, budget };
}

describe("the LLM gateway", () => {
  it("calls the model through the openai SDK and settles the real cost from usage", async () => {
    fake.brain("sim-model", (r) => `echo: ${r.messages.at(-1)!.content}`);
    const { gw, budget } = gateway();
    const result = await gw.complete(ask(1));
    expect(result).toMatchObject({ text: "echo: question 1", cached: false });
    expect(result.costUsd).toBeCloseTo(
      (result.usage.promptTokens * 1 + result.usage.completionTokens * 2) / 1e6,
      12,
    );
    expect(budget.snapshot()).toMatchObject({ calls: 1, reservedUsd: 0, byRole: { student: { calls: 1 } } });
  });

  it("waits as long as Retry-After says through a 429 storm, then succeeds", async () => {
    fake.rateLimitNext(3, 60);
    const { gw } = gateway();
    const started = performance.now();
    await gw.complete(ask(1));
    expect(performance.now() - started).toBeGreaterThanOrEqual(170);
    expect(gw.stats.retries).toBe(3);
    expect(fake.calls).toBe(1);
  });

  it("backs off on 5xx, and gives up with a clear error when the model keeps failing, without the key", async () => {
    fake.failNext(2);
    const { gw, budget } = gateway();
    await gw.complete(ask(1));
    expect(gw.stats.retries).toBe(2);
    fake.failAfter(0);
    const error = await gw.complete(ask(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect((error as Error).message).toMatch(/^model sim-model failed after 6 attempt\(s\) \(HTTP 500\)/);
    expect((error as Error).message).not.toContain("sk-test");
    expect(budget.snapshot()).toMatchObject({ calls: 1, reservedUsd: 0 });
  });

  it("refuses, before sending, a call whose worst case would cross the budget", async () => {
    const { gw, budget } = gateway({ limit: 0.0004 });
    await gw.complete(ask(1));
    await gw.complete(ask(2));
    const refused = await gw.complete(ask(3, { maxTokens: 1000 })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(fake.calls).toBe(2);
    expect(budget.snapshot().spentUsd).toBeLessThanOrEqual(0.0004);
  });

  it("never overshoots the budget under many concurrent calls", async () => {
    const { gw, budget } = gateway({ limit: 0.002, concurrency: 8 });
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => gw.complete(ask(i))));
    expect(outcomes.some((o) => o.status === "rejected")).toBe(true);
    expect(budget.snapshot().spentUsd).toBeLessThanOrEqual(0.002);
  });

  it("keeps at most the concurrency limit of requests in flight", async () => {
    fake.latencyMs = 20;
    const { gw } = gateway({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => gw.complete(ask(i))));
    expect(fake.maxInFlight).toBe(3);
    expect(gw.stats.meanInFlight).toBeGreaterThan(2.5);
    expect(gw.stats.meanInFlight).toBeLessThanOrEqual(3);
  });

  it("serves a re-run from the cache directory with zero new calls, and a new seed makes a new call", async () => {
    const first = gateway();
    const answers = await Promise.all([1, 2, 3].map((n) => first.gw.complete(ask(n))));
    const rerun = gateway();
    const again = await Promise.all([1, 2, 3].map((n) => rerun.gw.complete(ask(n))));
    expect(again.map((a) => a.text)).toEqual(answers.map((a) => a.text));
    expect(again.every((a) => a.cached && a.costUsd === 0)).toBe(true);
    expect(fake.calls).toBe(3);
    await rerun.gw.complete(ask(1, { seed: 7 }));
    expect(fake.calls).toBe(4);
  });

  it("says exactly which variables to set when no endpoint is configured", () => {
    expect(() => endpointFromEnv({})).toThrow(MissingModelEndpointError);
    expect(() => endpointFromEnv({})).toThrow(/set OPENAI_API_KEY \(and OPENAI_BASE_URL/);
    expect(endpointFromEnv({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "http://x/v1" })).toEqual({
      apiKey: "k",
      baseURL: "http://x/v1",
    });
  });
});

describe("the LLM gateway against what real servers accept", () => {
  const REASONING_PRICES = priceTable({
    "sim-model": { input_per_mtok: 1, output_per_mtok: 2 },
    "my-reasoner": { input_per_mtok: 1, output_per_mtok: 2 },
  });
  const gatewayWith = (prices = REASONING_PRICES) => {
    const budget = new Budget(null);
    const gw = new OpenAIGateway({
      apiKey: "sk-test",
      baseURL: fake.baseURL,
      prices,
      budget,
      cache: new ResponseCache(null),
      concurrency: 2,
      backoffMs: 5,
    });
    return { gw, budget };
  };

  it("sends max_completion_tokens and no temperature to a gpt-5 or o-series model, which refuses the others", async () => {
    fake.brain("gpt-5-mini", () => "ok");
    fake.brain("o4-mini", () => "ok");
    const { gw } = gatewayWith();
    for (const model of ["gpt-5-mini", "o4-mini"]) {
      const result = await gw.complete(ask(1, { model, temperature: 0 }));
      expect(result.text).toBe("ok");
    }
    expect(fake.refusals).toEqual([]);
    expect(fake.requests.every((r) => r.max_tokens === undefined && r.temperature === undefined)).toBe(true);
    expect(fake.requests[0]!.max_completion_tokens).toBeGreaterThan(100);
  });

  it("learns once from an unsupported_parameter / unsupported_value 400, retries without, and remembers it", async () => {
    fake.brain("my-reasoner", () => "ok");
    fake.behave("my-reasoner", { reasoning: true });
    const { gw } = gatewayWith();
    for (let i = 0; i < 4; i++)
      expect((await gw.complete(ask(i, { model: "my-reasoner", temperature: 0 }))).text).toBe("ok");
    // One refusal per parameter for the whole run, not one per call.
    expect(fake.refusals).toEqual([
      { model: "my-reasoner", param: "max_tokens" },
      { model: "my-reasoner", param: "temperature" },
    ]);
    expect(gw.stats.learned).toEqual([
      "my-reasoner: max_completion_tokens instead of max_tokens",
      "my-reasoner: only the default temperature",
    ]);
    expect(gw.stats.retries).toBe(0);
  });

  it("asks for a strict JSON schema, falls back to json_object, then to plain text, per model", async () => {
    const schema = {
      name: "verdict",
      schema: {
        type: "object",
        properties: { score: { type: "number" } },
        required: ["score"],
        additionalProperties: false,
      },
    };
    fake.brain("sim-model", () => 'Sure! {"score": 1}');
    const { gw } = gatewayWith();
    expect((await gw.complete(ask(1, { schema }))).text).toBe('{"score":1}');
    expect(fake.requests[0]!.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "verdict", strict: true },
    });

    fake.behave("sim-model", { structured: "json_object" });
    const second = gatewayWith().gw;
    await second.complete(ask(2, { schema }));
    expect(fake.requests.at(-1)!.response_format).toEqual({ type: "json_object" });

    fake.behave("sim-model", { structured: "none" });
    const third = gatewayWith().gw;
    expect((await third.complete(ask(3, { schema }))).text).toBe('Sure! {"score": 1}');
    expect(fake.requests.at(-1)!.response_format).toBeUndefined();
    expect(third.stats.learned).toEqual([
      "sim-model: json_object instead of a JSON schema",
      "sim-model: no response_format",
    ]);
  });

  it("counts the tokens itself when a response has no usage, instead of charging nothing", async () => {
    fake.brain("sim-model", () => "a fairly long answer of several words");
    fake.behave("sim-model", { omitUsageEvery: 1 });
    const { gw, budget } = gatewayWith();
    const result = await gw.complete(ask(1));
    expect(result.usage.completionTokens).toBeGreaterThan(3);
    expect(budget.snapshot().spentUsd).toBeGreaterThan(0);
    expect(gw.stats.usageMissing).toBe(1);
  });

  it("records what the provider reports even beyond the reservation, and reports the overrun", () => {
    const budget = new Budget(1);
    const reservation = budget.reserve(0.001);
    budget.settle(reservation, { usd: 0.003, role: "student", model: "m", inputTokens: 1, outputTokens: 1 });
    expect(budget.snapshot()).toMatchObject({ spentUsd: 0.003, overrunUsd: 0.002 });
  });
});

describe("the retry timing from the environment", () => {
  it("takes KAIZEN_MODEL_RETRY_BACKOFF_MS as the backoff's base, and nothing when it is unset", () => {
    expect(retryFromEnv({ KAIZEN_MODEL_RETRY_BACKOFF_MS: "5" })).toEqual({ backoffMs: 5 });
    expect(retryFromEnv({ KAIZEN_MODEL_RETRY_BACKOFF_MS: "0" })).toEqual({ backoffMs: 0 });
    expect(retryFromEnv({})).toEqual({});
  });

  it("refuses a value that is not a number of milliseconds, naming the variable and the value", () => {
    for (const bad of ["soon", "-1", "Infinity"])
      expect(() => retryFromEnv({ KAIZEN_MODEL_RETRY_BACKOFF_MS: bad })).toThrow(
        `KAIZEN_MODEL_RETRY_BACKOFF_MS must be a number of milliseconds, 0 or more; it is "${bad}"`,
      );
  });
});
