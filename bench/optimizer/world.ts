/**
 * The simulated worlds of anchors §9.1, served by the fake OpenAI-compatible server: inputs
 * belong to categories with hidden rules; `student-sim` is right when the prompt states the
 * rule of the input's category (else with a base probability); `judge-sim` scores with flip
 * noise (and, in W4, a length bias) and names the missing rule in its critique with some
 * probability; `teacher-sim` adds the rules critiques name, sometimes drops one or copies input
 * text, and adds random rules when it has no critique. Every answer is a hash-determined
 * function of the request, and the ground truth is known, so the bench reports true scores.
 */
import { createHash } from "node:crypto";
import type { ChatRequest, FakeOpenAI } from "../../test/fakes/openai/server.js";
import type { Example } from "../../src/optimizer/dataset.js";

export interface WorldSpec {
  name: string;
  label: string;
  /** Whether stating the rule helps the student at all (false: the null world). */
  learnable: boolean;
  /** Probability that a critique names the missing rule (0: score-only feedback). */
  critiqueRichness: number;
  /** Judge score bonus per 1,000 characters of prompt (a length-biased judge). */
  lengthBias: number;
  /** The seed lacks the format rule every answer needs (a broken seed). */
  brokenSeed: boolean;
}

export const WORLDS: readonly WorldSpec[] = [
  {
    name: "W1",
    label: "learnable, rich critiques",
    learnable: true,
    critiqueRichness: 0.7,
    lengthBias: 0,
    brokenSeed: false,
  },
  {
    name: "W2",
    label: "learnable, score-only",
    learnable: true,
    critiqueRichness: 0,
    lengthBias: 0,
    brokenSeed: false,
  },
  {
    name: "W3",
    label: "null (nothing learnable)",
    learnable: false,
    critiqueRichness: 0.7,
    lengthBias: 0,
    brokenSeed: false,
  },
  {
    name: "W4",
    label: "judge biased toward long prompts",
    learnable: true,
    critiqueRichness: 0.7,
    lengthBias: 0.25,
    brokenSeed: false,
  },
  {
    name: "W5",
    label: "broken seed (format rule missing)",
    learnable: true,
    critiqueRichness: 0.7,
    lengthBias: 0,
    brokenSeed: true,
  },
];

const CATEGORIES = [
  "billing",
  "login",
  "shipping",
  "refund",
  "privacy",
  "outage",
  "upgrade",
  "invoice",
  "password",
  "export",
  "api",
  "mobile",
] as const;
const RULE = (c: string) => `Rule ${c}: answer ${c.toUpperCase()} for ${c} questions.`;
const FORMAT_RULE = "Always answer with a single upper-case word.";
const BASE_RIGHT = 0.3;
const JUDGE_FLIP = 0.1;

export const SEED_TEMPLATE = (world: WorldSpec) =>
  `You answer customer questions.${world.brokenSeed ? "" : ` ${FORMAT_RULE}`}\nQuestion: {{question}}\n`;

/** A number in [0, 1) from the hash of some parts. */
function unit(...parts: unknown[]): number {
  return createHash("sha256").update(JSON.stringify(parts)).digest().readUInt32BE(0) / 2 ** 32;
}

export function categoryOf(question: string): string {
  return CATEGORIES.find((c) => question.includes(`[${c}]`)) ?? CATEGORIES[0];
}

/** The truth: is the student right on this question with this template (before judge noise)? */
export function trulyRight(world: WorldSpec, template: string, question: string): boolean {
  if (!template.includes(FORMAT_RULE)) return false;
  const category = categoryOf(question);
  if (world.learnable && template.includes(RULE(category))) return true;
  // Bloat costs accuracy, as in real models: the chance falls with the prompt's length.
  const lengthPenalty = Math.max(0, (template.length - 1_200) / 4_000);
  return (
    unit("base", world.name, template.length > 1_200 ? template : "", question) < BASE_RIGHT - lengthPenalty
  );
}

/** The true accuracy of a template on questions: the figure the bench reports. */
export function trueScore(world: WorldSpec, template: string, questions: readonly string[]): number {
  return questions.filter((q) => trulyRight(world, template, q)).length / questions.length;
}

export function questions(count: number, salt: string): string[] {
  return Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[Math.floor(unit("category", salt, i) * CATEGORIES.length)]!;
    return `[${category}] customer question ${salt}-${i} about ${category}`;
  });
}

/** Logs of the seed in production: its outputs, scored by people with a little noise. */
export function logs(world: WorldSpec, count: number, salt: string): Example[] {
  const seed = SEED_TEMPLATE(world);
  return questions(count, salt).map((question, i) => {
    const right = trulyRight(world, seed, question);
    const score = unit("human", salt, i) < 0.05 ? Number(!right) : Number(right);
    return {
      id: `${salt}-${i}`,
      inputs: { question },
      output: right ? categoryOf(question).toUpperCase() : "OTHER",
      score,
      expected: null,
    };
  });
}

const userText = (r: ChatRequest) => r.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";

export function installWorld(fake: FakeOpenAI, world: WorldSpec): void {
  fake.brain("student-sim", (r) => {
    const prompt = userText(r);
    const question = /Question: (.*)/.exec(prompt)?.[1] ?? "";
    const template = prompt.replace(question, "{{question}}");
    return trulyRight(world, template, question) ? categoryOf(question).toUpperCase() : "OTHER";
  });
  fake.brain("judge-sim", (r) => {
    const text = userText(r).split("Now evaluate this case.")[1] ?? "";
    const blocks = [...text.matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].map((m) => m[1]!);
    const question = (JSON.parse(blocks[0] ?? "{}") as { question?: string }).question ?? "";
    const output = (blocks[1] ?? "").trim();
    const category = categoryOf(question);
    const right = output === category.toUpperCase();
    let score = unit("flip", r.seed ?? 0, question, output) < JUDGE_FLIP ? Number(!right) : Number(right);
    if (world.lengthBias > 0) score = Math.min(1, score + world.lengthBias * unit("bias", question, output));
    const named = !right && unit("critique", question, output) < world.critiqueRichness;
    return JSON.stringify({
      score,
      critique: right
        ? "Correct."
        : named
          ? `Wrong: the prompt lacks "${RULE(category)}"`
          : "The answer is wrong.",
    });
  });
  fake.brain("teacher-sim", (r) => {
    const prompt = userText(r);
    const template =
      /<template>\n([\s\S]*?)\n<\/template>/.exec(prompt)?.[1] ??
      /Template:\n([\s\S]*?)\n\n/.exec(prompt)?.[1] ??
      "";
    const draw = (label: string) => unit("teacher", label, r.seed ?? 0, prompt.length);
    let next = template;
    const named = [...prompt.matchAll(/lacks "(Rule [a-z]+: [^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((rule, i, all) => all.indexOf(rule) === i && !template.includes(rule));
    const add = (rule: string) =>
      (next = next.replace("Question: {{question}}", `${rule}\nQuestion: {{question}}`));
    for (const rule of named) if (draw(rule) < 0.8) add(rule);
    if (named.length === 0) add(RULE(CATEGORIES[Math.floor(draw("random") * CATEGORIES.length)]!));
    if (/wrong/i.test(prompt) && !template.includes(FORMAT_RULE) && draw("format") < 0.5) add(FORMAT_RULE);
    const existing = [...next.matchAll(/Rule [a-z]+: [^\n]+/g)].map((m) => m[0]);
    if (existing.length > 2 && draw("drop") < 0.1) next = next.replace(`${existing[0]}\n`, "");
    if (draw("copy") < 0.05)
      next = next.replace(
        "Question: {{question}}",
        `Example: customer question about something specific here please\nQuestion: {{question}}`,
      );
    return JSON.stringify({
      template: next,
      rationale:
        named.length > 0 ? `added ${named.length} rule(s) named in critiques` : "added a guessed rule",
    });
  });
}
