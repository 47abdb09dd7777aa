/**
 * The simulated worlds of the optimizer bench, served by the fake OpenAI-compatible server: inputs
 * belong to categories with hidden rules; `student-sim` is right when the prompt states the
 * rule of the input's category (else with a base probability); `judge-sim` scores with flip
 * noise (and, in W4, a length bias) and names the missing rule in its critique with some
 * probability; `teacher-sim` adds the rules critiques name, sometimes drops one or copies input
 * text, and adds random rules when it has no critique. Every answer is a hash-determined
 * function of the request, and the ground truth is known, so the bench reports true scores.
 */
import { createHash } from "node:crypto";
import type { ChatRequest, FakeOpenAI } from "../../test/fakes/openai/server.js";
import { ServerMeter } from "./meter.js";
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
  /** How answers are scored: an LLM judge, or exact match against the true label. */
  scoring?: "judge" | "exact_match";
  /** Stating a category's rule helps (default true); false: only demonstrations do. */
  instructionsHelp?: boolean;
  /** A demonstration (an input of the same category with its right answer) in the prompt makes the student right. */
  demosHelp?: boolean;
  /** The student model (default `student-sim`); a gpt-5 name makes it a reasoning model for the fake server. */
  student?: string;
  /**
   * Characters of customer text after each question's tag (default none): long messages make
   * long demonstrations, so a prompt that quotes 16 of them reads several times the tokens of
   * the seed on every call.
   */
  messageChars?: number;
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
  {
    name: "W6",
    label: "exact match against labels",
    learnable: true,
    critiqueRichness: 0,
    lengthBias: 0,
    brokenSeed: false,
    scoring: "exact_match",
  },
  {
    name: "W7",
    label: "only demonstrations help (exact match)",
    learnable: true,
    critiqueRichness: 0,
    lengthBias: 0,
    brokenSeed: false,
    scoring: "exact_match",
    instructionsHelp: false,
    demosHelp: true,
  },
  {
    name: "W8",
    label: "reasoning-model student (exact match)",
    learnable: true,
    critiqueRichness: 0,
    lengthBias: 0,
    brokenSeed: false,
    scoring: "exact_match",
    student: "gpt-5-mini",
  },
  {
    name: "W9",
    label: "long demonstrations, priced reasoning student (exact match)",
    learnable: true,
    critiqueRichness: 0,
    lengthBias: 0,
    brokenSeed: false,
    scoring: "exact_match",
    instructionsHelp: false,
    demosHelp: true,
    student: "gpt-5-mini",
    messageChars: 200,
  },
];

export const studentOf = (world: WorldSpec) => world.student ?? "student-sim";

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
  return rightWithPrompt(world, template.replace("{{question}}", ""), question);
}

/**
 * The truth for any prompt: `prompt` is everything the student reads except the question itself
 * (Kaizen's template, or Ax's system prompt and demonstrations), so any optimizer's prompt is judged
 * by the same rules: the format rule is needed; the category's rule helps where instructions help;
 * a demonstration of the category (its tag and its right answer) helps where demonstrations help.
 */
export function rightWithPrompt(world: WorldSpec, prompt: string, question: string): boolean {
  if (!prompt.includes(FORMAT_RULE)) return false;
  const category = categoryOf(question);
  if (world.learnable && world.instructionsHelp !== false && prompt.includes(RULE(category))) return true;
  if (world.learnable && world.demosHelp && hasDemonstration(prompt, category)) return true;
  // Bloat costs accuracy, as in real models: the chance falls with the instruction's length.
  const instruction = /<task_definition>\n?([\s\S]*?)<\/task_definition>/.exec(prompt)?.[1] ?? prompt;
  const lengthPenalty = Math.max(0, (instruction.length - 1_200) / 4_000);
  return (
    unit("base", world.name, instruction.length > 1_200 ? instruction : "", question) <
    BASE_RIGHT - lengthPenalty
  );
}

/** A worked example of the category: its tag and its right answer, in any rendering. */
const hasDemonstration = (prompt: string, category: string) =>
  prompt.includes(`[${category}]`) && new RegExp(`\\b${category.toUpperCase()}\\b`).test(prompt);

/** The true accuracy of a template on questions: the figure the bench reports. */
export function trueScore(world: WorldSpec, template: string, questions: readonly string[]): number {
  return questions.filter((q) => trulyRight(world, template, q)).length / questions.length;
}

/** Words a customer's message is made of, past its tag (their meaning plays no part in the world). */
const FILLER = [
  "please",
  "help",
  "since",
  "yesterday",
  "my",
  "account",
  "order",
  "still",
  "shows",
  "the",
  "same",
  "error",
  "again",
];

export function questions(count: number, salt: string, messageChars = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[Math.floor(unit("category", salt, i) * CATEGORIES.length)]!;
    const words: string[] = [];
    for (let w = 0; words.join(" ").length < messageChars; w++)
      words.push(FILLER[Math.floor(unit("word", salt, i, w) * FILLER.length)]!);
    return `[${category}] customer question ${salt}-${i} about ${category}${words.length ? `: ${words.join(" ")}` : ""}`;
  });
}

/** Logs of the seed in production: its outputs, scored by people with a little noise. */
export function logs(world: WorldSpec, count: number, salt: string): Example[] {
  const seed = SEED_TEMPLATE(world);
  return questions(count, salt, world.messageChars).map((question, i) => {
    const right = trulyRight(world, seed, question);
    const score = unit("human", salt, i) < 0.05 ? Number(!right) : Number(right);
    return {
      id: `${salt}-${i}`,
      inputs: { question },
      output: right ? categoryOf(question).toUpperCase() : "OTHER",
      score,
      expected: world.scoring === "exact_match" ? categoryOf(question).toUpperCase() : null,
    };
  });
}

const userText = (r: ChatRequest) => r.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
const allText = (r: ChatRequest) => r.messages.map((m) => m.content).join("\n");
const QUESTION = /\[[a-z]+\] customer question [^\n]*/;
/** Ax (and any DSPy-like library) asks for `field: value` lines; Kaizen asks for the bare answer. */
const asksForFields = (r: ChatRequest) => /field name: value|wire key/i.test(allText(r));

/** The student: reads the whole request (system prompt, demonstrations, question) as a real model would. */
function student(world: WorldSpec, r: ChatRequest): string {
  // The question is the one after the template's `Question: `, not one quoted in a demonstration.
  const text = userText(r);
  const question =
    [...text.matchAll(/Question: (\[[a-z]+\] customer question [^\n]*)/g)].at(-1)?.[1] ??
    QUESTION.exec(text)?.[0] ??
    "";
  const prompt = allText(r).replace(question, "");
  const answer = rightWithPrompt(world, prompt, question) ? categoryOf(question).toUpperCase() : "OTHER";
  return asksForFields(r) ? `Answer: ${answer}` : answer;
}

/**
 * The teacher answers the content of any reasonable request, in the form asked for: asked to do
 * the task itself (as Ax's bootstrap does), it answers right, as a strong model would; asked to
 * improve a prompt (Kaizen's `<template>` or the instruction in a ``` block, as GEPA's reflection
 * shows it), it adds the rules critiques name, and the rules it can infer from the right answers
 * shown beside their inputs; with neither, it guesses a rule. It sometimes drops a rule or copies
 * input text, as real teachers do.
 */
function teacher(world: WorldSpec, r: ChatRequest): string {
  const prompt = userText(r);
  const field = outputField(r);
  const kaizenTemplate = /<template>\n([\s\S]*?)\n<\/template>/.exec(prompt)?.[1];
  const template =
    kaizenTemplate ??
    /Current (?:Value|Instruction)s?: ([\s\S]*?)(?:\n\n[A-Z][A-Za-z ]+:|$)/.exec(prompt)?.[1]?.trim() ??
    /```[a-z]*\n?([\s\S]*?)```/.exec(prompt)?.[1]?.trim() ??
    /Template:\n([\s\S]*?)\n\n/.exec(prompt)?.[1];
  const question = QUESTION.exec(prompt)?.[0];
  if (question !== undefined && (field === "Answer" || (field === null && template === undefined))) {
    const answer = categoryOf(question).toUpperCase();
    return field ? `Answer: ${answer}` : answer;
  }
  const current = template ?? "";
  const shown = allText(r).replace(current, "");
  const draw = (label: string) => unit("teacher", label, r.seed ?? 0, prompt.length);
  const named = [...shown.matchAll(/lacks "(Rule [a-z]+: [^"]+)"/g)].map((m) => m[1]!);
  const inferred = CATEGORIES.filter(
    (c) => shown.includes(`[${c}]`) && new RegExp(`\\b${c.toUpperCase()}\\b`).test(shown),
  ).map(RULE);
  const rules = [...named, ...inferred].filter(
    (rule, i, all) => all.indexOf(rule) === i && !current.includes(rule),
  );
  // Asked to summarise feedback (GEPA's first reflection step): the rules it sees, in prose.
  if (template === undefined && field !== null)
    return `${field}: ${[/wrong/i.test(shown) ? "The answers are wrong." : "", ...rules].join(" ").trim() || "No feedback."}`;
  let next = current;
  const add = (rule: string) =>
    (next = next.includes("Question: {{question}}")
      ? next.replace("Question: {{question}}", `${rule}\nQuestion: {{question}}`)
      : `${next}\n${rule}`);
  for (const rule of rules) if (draw(rule) < 0.8) add(rule);
  if (rules.length === 0) add(RULE(CATEGORIES[Math.floor(draw("random") * CATEGORIES.length)]!));
  if (/wrong/i.test(prompt) && !current.includes(FORMAT_RULE) && draw("format") < 0.5) add(FORMAT_RULE);
  const existing = [...next.matchAll(/Rule [a-z]+: [^\n]+/g)].map((m) => m[0]);
  if (existing.length > 2 && draw("drop") < 0.1) next = next.replace(`${existing[0]}\n`, "");
  if (draw("copy") < 0.05)
    next = next.includes("Question: {{question}}")
      ? next.replace(
          "Question: {{question}}",
          `Example: customer question about something specific here please\nQuestion: {{question}}`,
        )
      : `${next}\nExample: customer question about something specific here please`;
  const rationale =
    rules.length > 0 ? `added ${rules.length} rule(s) seen in the cases` : "added a guessed rule";
  if (kaizenTemplate !== undefined || template === undefined)
    return JSON.stringify({ template: next, rationale });
  return field ? `${field}: ${next}` : `\`\`\`\n${next}\n\`\`\``;
}

/** The output field a `field: value` request asks for (Ax names its own per step), or null. */
const outputField = (r: ChatRequest) =>
  asksForFields(r)
    ? (/<output_fields>[\s\S]*?\n\n([A-Z][A-Za-z ]*?) \(wire key/.exec(allText(r))?.[1] ?? null)
    : null;

export function installWorld(fake: FakeOpenAI, world: WorldSpec, meter = new ServerMeter()): void {
  meter.brain(fake, studentOf(world), (r) => student(world, r));
  meter.brain(fake, "judge-sim", (r) => {
    const text = userText(r).split("Now evaluate this case.")[1] ?? "";
    const blocks = [...text.matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].map((m) => m[1]!);
    const question = (JSON.parse(blocks[0] ?? "{}") as { question?: string }).question ?? "";
    const output = (blocks[1] ?? "").trim();
    const category = categoryOf(question);
    const right = output === category.toUpperCase();
    let score = unit("flip", r.seed ?? 0, question, output) < JUDGE_FLIP ? Number(!right) : Number(right);
    if (world.lengthBias > 0) score = Math.min(1, score + world.lengthBias * unit("bias", question, output));
    const named = !right && unit("critique", question, output) < world.critiqueRichness;
    // One or two sentences, as JUDGE_SYSTEM asks and as a real judge answers it (not one word).
    const answer = output === "" ? "An empty answer" : `The answer ${JSON.stringify(output)}`;
    return JSON.stringify({
      score,
      critique: right
        ? `${answer} is the right category for this question, in the required format.`
        : named
          ? `Wrong: the prompt lacks "${RULE(category)}". ${answer} is not the category this question needs.`
          : `${answer} is not the category this question needs; the prompt does not say which one it is.`,
    });
  });
  meter.brain(fake, "teacher-sim", (r) => teacher(world, r));
}
