import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { priceTable } from "../../src/core/prices.js";
import { Random } from "../../src/core/random.js";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { Budget } from "../../src/optimizer/budget.js";
import { stratifiedSplit, type Example } from "../../src/optimizer/dataset.js";
import { buildEvaluator } from "../../src/optimizer/evaluators/index.js";
import { ResponseCache } from "../../src/optimizer/llm/cache.js";
import { OpenAIGateway } from "../../src/optimizer/llm/gateway.js";
import { DEFAULT_KNOBS, DEMO_TRIES_WITHOUT_GAIN } from "../../src/optimizer/knobs.js";
import { searchPrompt } from "../../src/optimizer/search.js";
import { FakeOpenAI, type ChatRequest } from "../fakes/openai/server.js";

/**
 * A labelled task: tickets of six kinds, each with its code as the reference answer. Production
 * logged "LOGGED-<n>" for every ticket; the student under the seed answers "general"; nothing the
 * teacher or an example does helps, so the search runs all its iterations.
 */
const KINDS = ["refund", "crash", "login", "invoice", "export", "privacy"];
const SEED = "Label the support ticket with its code.\nTicket: {{ticket}}\n";

function labelled(count: number): Example[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `r${i}`,
    inputs: { ticket: `ticket number ${i} about ${KINDS[i % KINDS.length]}` },
    output: `LOGGED-${i}`,
    score: 0,
    expected: `${KINDS[i % KINDS.length]!.toUpperCase()}-${i % KINDS.length}`,
  }));
}

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
});
afterEach(async () => {
  await fake.close();
});

async function search(examples: Example[]) {
  const teacherRequests: ChatRequest[] = [];
  fake.brain("sim-student", () => "general");
  fake.brain("sim-teacher", (r) => {
    teacherRequests.push(r);
    const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(r.messages.at(-1)!.content)![1]!;
    return JSON.stringify({
      template: template.replace("Ticket:", `Be precise (${teacherRequests.length}).\nTicket:`),
      rationale: "asked for precision",
    });
  });
  const gateway = new OpenAIGateway({
    apiKey: "sk-test",
    baseURL: fake.baseURL,
    prices: priceTable({
      "sim-student": { input_per_mtok: 1, output_per_mtok: 1 },
      "sim-teacher": { input_per_mtok: 1, output_per_mtok: 1 },
    }),
    budget: new Budget(null),
    cache: new ResponseCache(null),
    concurrency: 4,
    backoffMs: 5,
  });
  const split = stratifiedSplit(examples, new Random("search-test"));
  const config = loadTaskConfig(
    "name: label\nevaluator_config: {type: exact_match}\n",
    ".kaizen/tasks/label.yml",
  );
  const outcome = await searchPrompt({
    template: SEED,
    split,
    loggedScores: new Map(),
    evaluator: buildEvaluator(config, gateway, "sim-judge", split.train),
    gateway,
    rng: new Random("search-test"),
    models: { teacher: "sim-teacher", student: "sim-student" },
    moduleType: "predict",
    description: "Label support tickets.",
    noise: 0,
  });
  return { outcome, split, teacherRequests };
}

describe("what the teacher is shown", () => {
  it("the parent's own outputs under the student beside each reference answer, and never a validation or test record", async () => {
    const { split, teacherRequests } = await search(labelled(100));
    expect(teacherRequests.length).toBeGreaterThan(3);
    const shown = teacherRequests.map((r) => r.messages.map((m) => m.content).join("\n"));
    for (const text of shown) {
      // The student's answers under the parent, not what production logged.
      expect(text).toContain("Output: general");
      expect(text).not.toMatch(/LOGGED-/);
      // Each case shown carries its reference answer, as GEPA's reflective dataset does.
      const cases = [...text.matchAll(/Input: (\{.*\})\n(?:Output: .*\n)?Expected output: (.*)/g)];
      expect(cases.length).toBeGreaterThan(0);
      for (const [, inputs, expected] of cases) {
        const record = split.train.find((e) => JSON.stringify(e.inputs) === inputs);
        expect(record, `a case shown to the teacher is a train record: ${inputs}`).toBeDefined();
        expect(expected).toBe(record!.expected);
      }
      for (const e of [...split.test, ...split.val]) expect(text).not.toContain(e.inputs.ticket as string);
    }
  });

  it("without a reference answer, shows no expected output", async () => {
    const { teacherRequests } = await search(labelled(100).map((e) => ({ ...e, expected: null })));
    expect(teacherRequests.length).toBeGreaterThan(0);
    for (const r of teacherRequests) expect(r.messages.at(-1)!.content).not.toContain("Expected output");
  });
});

describe("demonstrations in the search", () => {
  it("stop being tried after a few fail where they never help, leaving the iterations to the teacher", async () => {
    const { outcome, teacherRequests } = await search(labelled(100));
    const demoChildren = outcome.candidates.filter((c) => c.rationale.startsWith("examples from feedback"));
    expect(demoChildren).toHaveLength(DEMO_TRIES_WITHOUT_GAIN);
    expect(demoChildren.every((c) => c.status !== "validated")).toBe(true);
    // Nothing gains, yet the search runs every planned iteration (what the estimate counted); the
    // iterations demonstrations gave up went to the teacher (3 first proposals, then one an
    // iteration but the two demonstration tries).
    expect(outcome.stoppedBy).toBe("iterations");
    expect(teacherRequests).toHaveLength(3 + DEFAULT_KNOBS.iterations - DEMO_TRIES_WITHOUT_GAIN);
  });
});
