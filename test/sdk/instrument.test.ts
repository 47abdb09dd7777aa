import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instrument, KaizenClient } from "../../src/sdk/index.js";
import { startTestApi, type TestApi } from "../app/helpers/local-api.js";
import { collect } from "../helpers/records.js";
import { FakeOpenAI } from "../fakes/openai/server.js";

let fake: FakeOpenAI;
let api: TestApi;
let kaizen: KaizenClient;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  fake.brain("gpt-4o-mini", () => "The user cannot log in after the update.");
  api = await startTestApi();
  kaizen = new KaizenClient({ apiKey: api.server.apiKey, baseUrl: api.server.url, onWarning: () => {} });
});
afterEach(async () => {
  await kaizen.close();
  await api.close();
  await fake.close();
});

const traces = () => collect(api.server.repo.store.readTraces("summarize_ticket"));

describe("instrument(openai)", () => {
  it("records a chat completion as a trace of the task, and the response carries ct_trace_id", async () => {
    const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), {
      client: kaizen,
      task: "summarize_ticket",
    });
    const reply = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Summarize: login broken" }],
    });
    expect(reply.choices[0]!.message.content).toBe("The user cannot log in after the update.");
    const traceId = (reply as unknown as { ct_trace_id: string }).ct_trace_id;
    expect(traceId).toMatch(/^[0-9a-f-]{36}$/);
    await kaizen.flush();
    const [trace] = await traces();
    expect(trace).toMatchObject({
      id: traceId,
      prompt_text: "Summarize: login broken",
      response_text: "The user cannot log in after the update.",
      model: "gpt-4o-mini",
      source_file: expect.stringContaining("instrument.test.ts"),
    });
    expect(trace!.tokens).toBeGreaterThan(0);
    expect(trace!.source_line).toBeGreaterThan(0);
    const scored = await kaizen.score(traceId, 0.9, "human-review");
    expect(scored.score).toBe(0.9);
  });

  it("gives a call that matches no task no ct_trace_id (it is not recorded), and says why once", async () => {
    const warnings: string[] = [];
    const client = new KaizenClient({
      apiKey: api.server.apiKey,
      baseUrl: api.server.url,
      onWarning: (m) => warnings.push(m),
    });
    try {
      const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), { client });
      for (let i = 0; i < 2; i++) {
        const reply = await openai.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "Nothing Kaizen serves" }],
        });
        expect("ct_trace_id" in reply).toBe(false);
      }
      expect(warnings.filter((w) => w.includes("matches no task"))).toEqual([
        expect.stringContaining("is not recorded and gets no ct_trace_id"),
      ]);
    } finally {
      await client.close();
    }
  });

  it("knows the task from a prompt served by getPrompt, and leaves .withResponse() working", async () => {
    const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), { client: kaizen });
    const { prompt } = await kaizen.getPrompt("summarize_ticket");
    const { data, response } = await openai.chat.completions
      .create({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: prompt.prompt_text! },
          { role: "user", content: "ticket" },
        ],
      })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0]!.message.content).toContain("cannot log in");
    await kaizen.flush();
    expect(await traces()).toHaveLength(1);
  });

  it("records a streamed completion when the stream ends, keeping the stream the app reads", async () => {
    const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), {
      client: kaizen,
      task: "summarize_ticket",
    });
    const stream = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Summarize: x" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("The user cannot log in after the update.");
    await kaizen.flush();
    const [trace] = await traces();
    expect(trace).toMatchObject({ response_text: text });
    expect(trace!.tokens).toBeGreaterThan(0);
  });

  it("records the responses API too, and leaves other methods untouched", async () => {
    const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), {
      client: kaizen,
      task: "summarize_ticket",
    });
    const response = await openai.responses.create({ model: "gpt-4o-mini", input: "Summarize: y" });
    expect(response.output_text).toBe("The user cannot log in after the update.");
    expect((await openai.models.list()).data.map((m) => m.id)).toContain("gpt-4o-mini");
    await kaizen.flush();
    expect((await traces()).map((t) => t.prompt_text)).toEqual(["Summarize: y"]);
  });

  it("never fails the app's call when Kaizen is down: the trace is dropped with a counted warning", async () => {
    const warnings: string[] = [];
    const offline = new KaizenClient({
      apiKey: api.server.apiKey,
      baseUrl: "http://127.0.0.1:9",
      maxRetries: 0,
      timeout: 0.2,
      closeTimeout: 0.5,
      onWarning: (m) => warnings.push(m),
    });
    const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), {
      client: offline,
      task: "summarize_ticket",
    });
    const reply = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(reply.choices[0]!.message.content).toContain("cannot log in");
    await offline.close();
    expect(offline.queueStats.traces.dropped).toBe(1);
    expect(warnings.some((w) => w.includes("dropped 1 queued entry"))).toBe(true);
  });
});
