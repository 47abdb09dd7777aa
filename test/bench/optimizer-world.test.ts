import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOnce } from "../../bench/optimizer/index.js";
import { axPrompt, axSeedInstruction } from "../../bench/optimizer/ax.js";
import {
  categoryOf,
  installWorld,
  logs,
  questions,
  rightWithPrompt,
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
const world = (name: string) => WORLDS.find((w) => w.name === name)!;
const ask = async (model: string, messages: { role: string; content: string }[]) => {
  const response = await fetch(`${fake.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: JSON.stringify({ model, messages }),
  });
  return ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
    .content;
};
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

  it("estimate Kaizen's spend within ±25% on every seed of a world whose examples are long (W9)", async () => {
    // A gpt-5-mini student priced from the catalogue, 200-character customer messages, and only
    // examples help: the winners quote 16 of them, about 13 times the seed's input tokens a call.
    const W9 = world("W9");
    installWorld(fake, W9);
    const ratios: number[] = [];
    for (const seed of [0, 1, 2]) ratios.push((await runOnce(fake, W9, "kaizen", seed)).estimateOverActual!);
    for (const ratio of ratios) {
      expect(ratio).toBeGreaterThanOrEqual(0.75);
      expect(ratio).toBeLessThanOrEqual(1.25);
    }
  });

  it("run Kaizen in the null world without shipping and without crossing the budget", async () => {
    installWorld(fake, W3);
    const result = await runOnce(fake, W3, "kaizen", 0);
    expect(result).toMatchObject({ shipped: false, gain: 0 });
    expect(result.spent).toBeLessThanOrEqual(0.6);
  });

  it("have a teacher that answers the content of any reasonable request, in the form asked for", async () => {
    installWorld(fake, world("W6"));
    const fields = (output: string) =>
      `<output_fields>\n**Output Fields**: You must generate the following fields:\n\n${output} (wire key: \`x\`): text\n</output_fields>\nReturn one \`field name: value\` pair per line`;
    // Asked to do the task itself (Ax's bootstrap runs the program on the teacher): right, as a strong model.
    expect(
      await ask("teacher-sim", [
        { role: "system", content: fields("Answer") },
        { role: "user", content: "Question: [login] customer question x-1 about login\n" },
      ]),
    ).toBe("Answer: LOGIN");
    // Asked for a new instruction, GEPA-style, with labelled cases: the rules those cases show.
    const improved = await ask("teacher-sim", [
      { role: "system", content: fields("New Value") },
      {
        role: "user",
        content: `Current Value: ${axSeedInstruction(world("W6"))}\n\nMinibatch: [{"input": {"question": "[refund] customer question x-2 about refund", "answer": "REFUND"}, "prediction": {"answer": "OTHER"}, "score": 0}]\n`,
      },
    ]);
    expect(improved).toMatch(/^New Value: You answer customer questions\./);
    expect(improved).toContain("Rule refund: answer REFUND for refund questions.");
  });

  it("make demonstrations, not stated rules, help in the demonstrations world", () => {
    const W7 = world("W7");
    const truth = questions(200, "demos");
    const instruction = axSeedInstruction(W7);
    const demos = [...new Set(truth.map(categoryOf))].map((c, i) => ({
      question: `[${c}] customer question d-${i} about ${c}`,
      answer: c.toUpperCase(),
    }));
    const rules = `${instruction}\n${demos.map((d) => `Rule ${categoryOf(d.question)}: answer ${d.answer} for ${categoryOf(d.question)} questions.`).join("\n")}`;
    const score = (prompt: string) =>
      truth.filter((q) => rightWithPrompt(W7, prompt, q)).length / truth.length;
    expect(score(axPrompt(instruction, demos))).toBe(1);
    expect(score(axPrompt(rules, []))).toBe(score(axPrompt(instruction, [])));
    expect(score(axPrompt(instruction, []))).toBeLessThan(0.5);
  });

  it("run the real Ax peer on the same server, counted there, and let its demonstrations win where they help", async () => {
    const W7 = world("W7");
    installWorld(fake, W7);
    const ax = await runOnce(fake, W7, "ax_bootstrap_fewshot", 0);
    expect(ax.error).toBeNull();
    expect(ax.gain).toBeGreaterThan(0.1);
    expect(ax.callsByModel.get("teacher-sim")).toBeGreaterThan(0);
    expect(ax.serverUsd).toBeGreaterThan(0);
    expect(ax.spent).toBeLessThanOrEqual(0.6);
  });

  it("have a student that answers the question asked, not one quoted in a demonstration", async () => {
    installWorld(fake, world("W7"));
    const demo = `Examples (solved cases, for reference only):\n\n<example>\nquestion: [refund] customer question d-1 about refund\nOutput: REFUND\n</example>`;
    const template = SEED_TEMPLATE(world("W7")).replace("Question:", `${demo}\nQuestion:`);
    const fill = (q: string) => template.replace("{{question}}", q);
    expect(
      await ask("student-sim", [
        { role: "user", content: fill("[refund] customer question x-9 about refund") },
      ]),
    ).toBe("REFUND");
    const other = questions(40, "other").find(
      (q) => categoryOf(q) !== "refund" && !trulyRight(world("W7"), template, q),
    )!;
    expect(await ask("student-sim", [{ role: "user", content: fill(other) }])).toBe("OTHER");
  });
});
