/**
 * What the SDK does when the server refuses what it sends (a 4xx other than 408/429): the bad
 * entry is isolated and dropped with the reason, the rest is sent. And which task instrument()
 * attributes a call to when a template starts with a placeholder.
 */
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instrument, KaizenClient } from "../../src/sdk/index.js";
import { templateMatches } from "../../src/sdk/instrument.js";
import { startTestApi, type TestApi } from "../app/helpers/local-api.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { collect } from "../helpers/records.js";

let api: TestApi;
let warnings: string[];
beforeEach(async () => {
  api = await startTestApi();
  warnings = [];
});
afterEach(async () => api.close());

const client = (options: ConstructorParameters<typeof KaizenClient>[0] = {}) =>
  new KaizenClient({
    apiKey: api.server.apiKey,
    baseUrl: api.server.url,
    onWarning: (m) => warnings.push(m),
    closeTimeout: 5,
    ...options,
  });

const trace = (task: string, n: number) => ({
  task_id: task,
  prompt_text: `Summarize: ticket ${n}`,
  response_text: `summary ${n}`,
  model: "gpt-4o-mini",
});

describe("background queue and permanent refusals", () => {
  it("drops the one trace of an unknown task with the reason and sends the five valid ones", async () => {
    const kaizen = client({ flushAt: 100 });
    for (let n = 0; n < 6; n++) kaizen.recordTrace(trace(n === 2 ? "no_such_task" : "summarize_ticket", n));
    await kaizen.close();
    const stored = await collect(api.server.repo.store.readTraces("summarize_ticket"));
    expect(stored.map((t) => t.prompt_text).sort()).toEqual(
      [0, 1, 3, 4, 5].map((n) => `Summarize: ticket ${n}`),
    );
    expect(kaizen.queueStats.traces).toMatchObject({ sent: 5, dropped: 1, queued: 0 });
    expect(warnings).toEqual([
      expect.stringMatching(/dropped 1 queued entry: the server refused it: 422 .*no_such_task not found/),
    ]);
  });

  it("drops feedback refused by the server alone, without retrying it, and keeps sending the rest", async () => {
    const kaizen = client({ flushAt: 10 });
    for (let n = 0; n < 25; n++)
      void kaizen.logFeedback(
        {
          taskId: n % 7 === 3 ? "missing" : "summarize_ticket",
          inputs: { ticket: `t${n}` },
          output: "o",
          score: 1,
        },
        { background: true },
      );
    await kaizen.close();
    const stored = await collect(api.server.repo.store.readFeedback("summarize_ticket"));
    expect(stored).toHaveLength(21);
    expect(kaizen.queueStats.feedback).toMatchObject({ sent: 21, dropped: 4, failures: 0 });
  }, 180_000);

  it("drops a batch refused for a bad key as a whole, with the reason, instead of retrying forever", async () => {
    const kaizen = client({ apiKey: "kz_local_00000000000000000000000000000000_wrongwrongwrongwrongwrong" });
    for (let n = 0; n < 4; n++) kaizen.recordTrace(trace("summarize_ticket", n));
    await kaizen.close();
    expect(kaizen.queueStats.traces).toMatchObject({ sent: 0, dropped: 4, queued: 0 });
    expect(warnings).toEqual([
      expect.stringContaining("dropped 4 queued entries: the server refused them: 401"),
    ]);
  });
});

describe("instrument() and templates that start with a placeholder", () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await FakeOpenAI.start();
    fake.brain("gpt-4o-mini", () => "ok");
  });
  afterEach(async () => fake.close());

  it("attributes a call to such a task only when the prompt is that template filled in", async () => {
    const kaizen = client();
    // The task's prompt starts with {{ticket}}: the text before it is empty.
    kaizen.promptTasks.set("{{ticket}}\n\nSummarize the ticket above in one sentence.", "summarize_ticket");
    const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), { client: kaizen });
    await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Translate to French: good morning" }],
    });
    await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Login fails\n\nSummarize the ticket above in one sentence." }],
    });
    await kaizen.close();
    const stored = await collect(api.server.repo.store.readTraces("summarize_ticket"));
    expect(stored.map((t) => t.prompt_text)).toEqual([
      "Login fails\n\nSummarize the ticket above in one sentence.",
    ]);
  });

  it("matches literal pieces in order, and never a template that is placeholders only", () => {
    expect(templateMatches("{{a}} and {{b}}", "x and y")).toBe(true);
    expect(templateMatches("{{a}}{{b}}", "anything at all")).toBe(false);
    expect(templateMatches("Summarize: {{t}}. Be brief.", "Be brief. Summarize: x")).toBe(false);
  });
});
