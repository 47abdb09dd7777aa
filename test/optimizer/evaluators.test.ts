import { describe, expect, it } from "vitest";
import { loadTaskConfig } from "../../src/core/task-config.js";
import type { Example } from "../../src/optimizer/dataset.js";
import { buildEvaluator, finalAnswer } from "../../src/optimizer/evaluators/index.js";
import { parseVerdict } from "../../src/optimizer/evaluators/judge.js";
import type { LlmGateway } from "../../src/optimizer/llm/types.js";

const example = (expected: string | null): Example => ({
  id: "e1",
  inputs: { q: "2+2" },
  output: "4",
  score: 1,
  expected,
});
const noJudge: LlmGateway = { complete: () => Promise.reject(new Error("no judge in this test")) };

describe("evaluators", () => {
  it("combines deterministic evaluators by weight, leaving out those that cannot score", async () => {
    const config = loadTaskConfig(
      [
        "name: t",
        "task_schema: { type: object, required: [answer] }",
        "evaluator_config:",
        "  evaluators:",
        "    - { type: exact_match, weight: 3 }",
        "    - { type: regex, pattern: '^\\{', weight: 1 }",
        "    - { type: json_schema }",
        "",
      ].join("\n"),
      ".kaizen/tasks/t.yml",
    );
    const evaluator = buildEvaluator(config, noJudge, "j", []);
    const good = await evaluator.evaluate(example('{"answer": 4}'), '{"answer": 4}');
    expect(good.score).toBe(1);
    const bad = await evaluator.evaluate(example('{"answer": 4}'), '{"answer": 5}');
    expect(bad.score).toBeCloseTo(2 / 5);
    const noReference = await evaluator.evaluate(example(null), "not json");
    expect(noReference.details.map((d) => d.score)).toEqual([null, 0, 0]);
    expect(noReference.details[2]!.reason).toMatch(/not valid JSON/);
  });

  it("scores only the final answer of a chain of thought", () => {
    expect(finalAnswer("Let me think. 2 and 2.\nAnswer: 4")).toBe("4");
    expect(finalAnswer("4")).toBe("4");
  });

  it("reads a judge's answer leniently and never crashes on an unreadable one", () => {
    expect(parseVerdict('{"score": 0.7, "critique": "too long"}')).toEqual({
      score: 0.7,
      critique: "too long",
      readable: true,
    });
    expect(parseVerdict('Here it is:\n```json\n{"score": 0.5, "critique": "fenced"}\n```')).toMatchObject({
      score: 0.5,
      critique: "fenced",
    });
    expect(parseVerdict('Sure! {"score": 1.4, "critique": "ok"}').score).toBe(1);
    expect(parseVerdict("score: 0.25 because…").score).toBe(0.25);
    expect(parseVerdict("I refuse")).toEqual({
      score: 0,
      critique: expect.stringContaining("could not be read"),
      readable: false,
    });
  });
});
