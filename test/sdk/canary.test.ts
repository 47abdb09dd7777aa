/**
 * getPrompt with a unit against a real `kaizen serve` running a canary: the SDK's choice is the
 * server's, one fetch per version serves every unit, and the version served reaches feedback
 * and traces.
 */
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import type { PromptVersion } from "../../src/core/records.js";
import { instrument, KaizenClient } from "../../src/sdk/index.js";
import { startTestApi, type TestApi } from "../app/helpers/local-api.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { collect } from "../helpers/records.js";

const TASK = "greet";
const FILES = {
  ".kaizen/tasks/greet.yml": "name: greet\nprompt_path: prompts/greet.txt\ncanary: {share: 0.3}\n",
  "prompts/greet.txt": "Greet {{name}}.\n",
};
const UNITS = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);

let api: TestApi;
let kaizen: KaizenClient;
let requests: string[];
let active: PromptVersion;
let candidate: PromptVersion;

beforeEach(async () => {
  api = await startTestApi({}, FILES);
  requests = [];
  const counting: typeof fetch = (input, init) => {
    requests.push(urlOf(input));
    return fetch(input, init);
  };
  kaizen = new KaizenClient({
    apiKey: api.server.apiKey,
    baseUrl: api.server.url,
    fetch: counting,
    onWarning: () => {},
  });
  active = (await api.call("GET", `/api/v1/tasks/${TASK}/prompt`)).body;
  candidate = {
    ...active,
    id: newId(),
    version_number: 2,
    status: "candidate",
    prompt_text: "Greet {{name}} warmly.\n",
  };
  await api.server.repo.store.putPromptVersion(TASK, candidate);
});
afterEach(async () => {
  await kaizen.close();
  await api.close();
});

describe("getPrompt(task, { unit })", () => {
  it("serves the candidate to the share of 1,000 units (±5 points) as the server decides, from one fetch per version", async () => {
    const served: string[] = [];
    for (const unit of UNITS) served.push((await kaizen.getPrompt(TASK, { unit })).prompt.id);
    const share = served.filter((id) => id === candidate.id).length / UNITS.length;
    expect(Math.abs(share - 0.3)).toBeLessThanOrEqual(0.05);
    // Cached per version, not per unit: the active version once, the candidate once.
    expect(requests).toHaveLength(2);
    // The server gives each unit the same version (checked on a sample), and so does the SDK again.
    for (const i of [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]) {
      const byServer = await api.call("GET", `/api/v1/tasks/${TASK}/prompt?unit=${UNITS[i]}`);
      expect(byServer.body.id).toBe(served[i]);
      expect((await kaizen.getPrompt(TASK, { unit: UNITS[i]! })).prompt.id).toBe(served[i]);
    }
    expect((await kaizen.getPrompt(TASK)).prompt.id).toBe(active.id);
  });

  it("keeps serving the active version when the candidate cannot be fetched", async () => {
    const failing = new KaizenClient({
      apiKey: api.server.apiKey,
      baseUrl: api.server.url,
      maxRetries: 0,
      onWarning: () => {},
      fetch: (input, init) =>
        urlOf(input).includes("unit=") ? Promise.reject(new Error("connection reset")) : fetch(input, init),
    });
    const served = new Set<string>();
    for (const unit of UNITS.slice(0, 50)) served.add((await failing.getPrompt(TASK, { unit })).prompt.id);
    expect(served).toEqual(new Set([active.id]));
    await failing.close();
  });

  it("fills prompt_version_id in logFeedback for a unit it served, and in instrument() from the prompt it matched", async () => {
    const unitOnCandidate = (await firstUnitServed(candidate.id))!;
    const unitOnActive = (await firstUnitServed(active.id))!;
    await kaizen.logFeedback({ taskId: TASK, unit: unitOnCandidate, output: "Hi!", score: 1 });
    await kaizen.logFeedback({ taskId: TASK, unit: unitOnActive, output: "Hi.", score: 0 });
    await kaizen.logFeedback({ taskId: TASK, unit: "never-served", output: "Hey", score: 1 });
    const feedback = await collect(api.server.repo.store.readFeedback(TASK));
    expect(feedback.map((f) => f.prompt_version_id)).toEqual([candidate.id, active.id, null]);
    const canary = (await api.call("GET", `/api/v1/tasks/${TASK}/canary`)).body;
    expect(canary.arms).toEqual({ active: { n: 1, mean: 0 }, candidate: { n: 1, mean: 1 } });

    const fake = await FakeOpenAI.start();
    try {
      fake.brain("gpt-4o-mini", () => "Hello there");
      const openai = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), { client: kaizen });
      for (const text of ["Greet Ada warmly.", "Greet Bob."])
        await openai.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "system", content: text }],
        });
      await kaizen.flush();
      const traces = await collect(api.server.repo.store.readTraces(TASK));
      expect(traces.map((t) => t.prompt_version_id)).toEqual([candidate.id, active.id]);
    } finally {
      await fake.close();
    }
  });
});

async function firstUnitServed(versionId: string): Promise<string | undefined> {
  for (const unit of UNITS) if ((await kaizen.getPrompt(TASK, { unit })).prompt.id === versionId) return unit;
  return undefined;
}

function urlOf(input: string | URL | Request): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}
