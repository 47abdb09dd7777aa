import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { priceTable } from "../../src/core/prices.js";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { Budget } from "../../src/optimizer/budget.js";
import type { Example } from "../../src/optimizer/dataset.js";
import { buildEvaluator } from "../../src/optimizer/evaluators/index.js";
import { runGate } from "../../src/optimizer/gate.js";
import { ResponseCache } from "../../src/optimizer/llm/cache.js";
import { OpenAIGateway } from "../../src/optimizer/llm/gateway.js";
import type { Candidate } from "../../src/optimizer/search.js";
import { FakeOpenAI } from "../fakes/openai/server.js";

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
});
afterEach(() => fake.close());

const RULE = "Tickets about refunds are BILLING.";
const candidate = (id: number, template: string): Candidate => ({
  id,
  template,
  parent: id === 0 ? null : 0,
  rationale: "",
  scores: new Map(),
  status: id === 0 ? "seed" : "validated",
  reason: null,
  costUsd: 0,
});

describe("the gate", () => {
  it("ships the shortest of the candidates tied within noise, not the first finalist", async () => {
    // The student answers BILLING when its prompt states the rule, else OTHER; a candidate that
    // quotes a long example section scores the same as one that states the rule in a line.
    fake.brain("student", (r) => (r.messages.at(-1)!.content.includes(RULE) ? "BILLING" : "OTHER"));
    const test: Example[] = Array.from({ length: 30 }, (_, i) => ({
      id: `t${i}`,
      inputs: { ticket: `refund please, order ${i}` },
      output: "OTHER",
      score: 0,
      expected: "BILLING",
    }));
    const gateway = new OpenAIGateway({
      apiKey: "sk-test",
      baseURL: fake.baseURL,
      prices: priceTable({ student: { input_per_mtok: 1, output_per_mtok: 1 } }),
      budget: new Budget(null),
      cache: new ResponseCache(null),
    });
    const config = loadTaskConfig("name: t\nevaluator_config: {type: exact_match}\n", ".kaizen/tasks/t.yml");
    const long = candidate(
      1,
      `${RULE}\n${"Example: a refund ticket is billing.\n".repeat(40)}Ticket: {{ticket}}`,
    );
    const short = candidate(2, `${RULE}\nTicket: {{ticket}}`);
    const gate = await runGate({
      gateway,
      evaluator: buildEvaluator(config, gateway, "judge", []),
      models: { teacher: "teacher", student: "student" },
      moduleType: "predict",
      seedCandidate: candidate(0, "Ticket: {{ticket}}"),
      finalists: [long, short],
      topK: 2,
      test,
      seed: "gate",
    });
    expect(gate.results.map((r) => r.mean.mean)).toEqual([1, 1]);
    expect(gate.winner!.candidate).toBe(short);
    expect(gate.shorterOfTied).toBe(true);
  });
});
