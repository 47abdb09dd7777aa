import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOnce } from "../../bench/optimizer/index.js";
import {
  categoryOf,
  installWorld,
  logs,
  questions,
  SEED_TEMPLATE,
  trueScore,
  trulyRight,
  WORLDS,
} from "../../bench/optimizer/world.js";
import { FakeOpenAI } from "../fakes/openai/server.js";

const [W1, , W3, , W5] = WORLDS as [
  (typeof WORLDS)[0],
  (typeof WORLDS)[0],
  (typeof WORLDS)[0],
  (typeof WORLDS)[0],
  (typeof WORLDS)[0],
];
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await FakeOpenAI.start();
});
afterAll(() => fake.close());

describe("the simulated worlds of the optimizer bench", () => {
  it("make the student right exactly when the prompt states the rule of the question's category", () => {
    const question = questions(1, "t")[0]!;
    const category = categoryOf(question);
    const withRule = SEED_TEMPLATE(W1).replace(
      "Question:",
      `Rule ${category}: answer ${category.toUpperCase()} for ${category} questions.\nQuestion:`,
    );
    expect(trulyRight(W1, withRule, question)).toBe(true);
    expect(trulyRight(W3, withRule, question)).toBe(trulyRight(W3, SEED_TEMPLATE(W3), question));
    expect(trueScore(W5, SEED_TEMPLATE(W5), questions(50, "t"))).toBe(0);
  });

  it("have a judge whose flip rate is the configured noise, and a teacher that adds the rule a critique names", async () => {
    installWorld(fake, W1);
    const examples = logs(W1, 200, "judge");
    let flips = 0;
    for (const e of examples) {
      const text = `x\n\nNow evaluate this case.\nInput:\n<data>\n${JSON.stringify(e.inputs)}\n</data>\nOutput:\n<data>\nOTHER\n</data>`;
      const response = await fetch(`${fake.baseURL}/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({ model: "judge-sim", messages: [{ role: "user", content: text }] }),
      });
      const verdict = JSON.parse(
        ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
          .content,
      ) as { score: number };
      if (verdict.score === 1) flips++;
    }
    expect(flips / examples.length).toBeGreaterThan(0.04);
    expect(flips / examples.length).toBeLessThan(0.17);
    const prompt = `<template>\n${SEED_TEMPLATE(W1)}\n</template>\nCritique: Wrong: the prompt lacks "Rule login: answer LOGIN for login questions."`;
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map(async (seed) => {
        const response = await fetch(`${fake.baseURL}/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer k", "content-type": "application/json" },
          body: JSON.stringify({ model: "teacher-sim", seed, messages: [{ role: "user", content: prompt }] }),
        });
        return JSON.parse(
          ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
            .content,
        ) as { template: string };
      }),
    );
    expect(
      answers.filter((a) => a.template.includes("Rule login: answer LOGIN for login questions.")).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it("run Kaizen in the null world without shipping and without crossing the budget", async () => {
    installWorld(fake, W3);
    const result = await runOnce(fake, W3, "kaizen", 0);
    expect(result).toMatchObject({ shipped: false, gain: 0 });
    expect(result.spent).toBeLessThanOrEqual(0.6);
  });
});
