/**
 * The real peer: `@ax-llm/ax` (a maintained TypeScript port of DSPy), its own optimizers run as its
 * docs show, on the same fake server, data, evaluator and dollar budget as Kaizen. Its student and
 * teacher talk to the fake server through Ax's `openai-compatible` client; its metric is Kaizen's
 * evaluator (the same judge model or exact match), and GEPA's feedback is that evaluator's critique.
 * Responses are cached the way Kaizen's gateway caches them (identical request → no second call).
 */
import { ai, ax, AxBootstrapFewShot, AxGEPA } from "@ax-llm/ax";
import type { Example, Split } from "../../src/optimizer/dataset.js";
import type { Evaluator } from "../../src/optimizer/evaluators/index.js";
import { isReasoningModelName } from "../../test/fakes/openai/server.js";
import { SEED_TEMPLATE, type WorldSpec } from "./world.js";

export type AxVariant = "ax_gepa" | "ax_bootstrap_fewshot";

export interface AxRun {
  /** The optimized prompt as the student reads it (instruction and demonstrations), or null when nothing changed. */
  shipped: string | null;
  /** Why Ax stopped with an error (it then ships nothing), or null. */
  error: string | null;
}

/** The seed's instruction: the seed template without its question line. */
export const axSeedInstruction = (world: WorldSpec) =>
  SEED_TEMPLATE(world).replace("Question: {{question}}", "").trim();

/** The student-visible prompt of an Ax program, without the question: what the world's truth reads. */
export function axPrompt(
  instruction: string,
  demos: readonly { question: string; answer: string }[],
): string {
  return [
    `<task_definition>\n${instruction}\n</task_definition>`,
    ...demos.map((d) => `Question: ${d.question}\nAnswer: ${d.answer}`),
  ].join("\n");
}

/** A fetch that answers an identical request from memory, as Kaizen's response cache does. */
function cachingFetch(): typeof fetch {
  const cache = new Map<string, { status: number; type: string; text: string }>();
  return async (input, init) => {
    const key = `${String(input instanceof Request ? input.url : input)} ${typeof init?.body === "string" ? init.body : ""}`;
    const hit = cache.get(key);
    if (hit) return new Response(hit.text, { status: hit.status, headers: { "content-type": hit.type } });
    const response = await fetch(input, init);
    const text = await response.text();
    const entry = { status: response.status, type: response.headers.get("content-type") ?? "", text };
    if (response.ok) cache.set(key, entry);
    return new Response(text, { status: entry.status, headers: { "content-type": entry.type } });
  };
}

/**
 * Ax's client for a model on the fake server. A reasoning model (gpt-5, o-series) gets Ax's `openai`
 * profile, which knows their parameter rules, as an Ax user would pick for an OpenAI model: through
 * the generic `openai-compatible` profile Ax sends `temperature: 0` and every call is refused (400).
 */
const client = (baseURL: string, model: string, fetchWith: typeof fetch) =>
  ai({
    name: isReasoningModelName(model) ? "openai" : "openai-compatible",
    apiKey: "sk-bench",
    apiURL: baseURL,
    config: { model },
    options: { fetch: fetchWith },
  } as Parameters<typeof ai>[0]);

const asAx = (examples: readonly Example[]) =>
  examples.map((e) => ({
    question: String(e.inputs.question),
    ...(e.expected === null ? {} : { answer: e.expected }),
  }));

export async function runAx(input: {
  variant: AxVariant;
  world: WorldSpec;
  baseURL: string;
  models: { teacher: string; student: string };
  split: Split;
  evaluator: Evaluator;
  seed: number;
  /** How many metric calls Ax may make: its own budget knob. */
  maxMetricCalls: number;
}): Promise<AxRun> {
  const fetchWith = cachingFetch();
  const studentAI = client(input.baseURL, input.models.student, fetchWith);
  const teacherAI = client(input.baseURL, input.models.teacher, fetchWith);
  const instruction = axSeedInstruction(input.world);
  const program = ax("question:string -> answer:string");
  program.setInstruction(instruction);
  const byQuestion = new Map(
    [...input.split.train, ...input.split.val].map((e) => [String(e.inputs.question), e]),
  );
  const critiques = new Map<string, string>();
  const metric = async ({
    prediction,
    example,
  }: {
    prediction: unknown;
    example: Record<string, unknown>;
  }) => {
    const question = String(example.question);
    const record = byQuestion.get(question);
    const output = answerOf(prediction);
    if (!record) return 0;
    const evaluation = await input.evaluator.evaluate(record, output);
    if (evaluation.critique) critiques.set(`${question}\n${output}`, evaluation.critique);
    return evaluation.score;
  };
  const feedbackFn = ({ prediction, example }: { prediction: unknown; example: Record<string, unknown> }) =>
    critiques.get(`${String(example.question)}\n${answerOf(prediction)}`);
  try {
    if (input.variant === "ax_bootstrap_fewshot") {
      const optimizer = new AxBootstrapFewShot({
        studentAI,
        teacherAI,
        seed: input.seed + 1,
        options: { maxDemos: 4, maxRounds: 2 },
      });
      // Bootstrap needs answers to demonstrate: the labels where there are some, else the logged
      // outputs people scored well (what a DSPy user would feed it from production logs).
      const labelled = input.split.train.some((e) => e.expected !== null)
        ? asAx(input.split.train)
        : input.split.train
            .filter((e) => e.score >= 0.5)
            .map((e) => ({ question: String(e.inputs.question), answer: e.output }));
      const result = await optimizer.compile(program, labelled, metric, {
        maxMetricCalls: input.maxMetricCalls,
      });
      const demos = (result.demos ?? []).flatMap((d) => d.traces as { question: string; answer: string }[]);
      return { shipped: demos.length > 0 ? axPrompt(instruction, demos) : null, error: null };
    }
    const optimizer = new AxGEPA({
      studentAI,
      teacherAI,
      numTrials: 20,
      minibatch: true,
      minibatchSize: 5,
      earlyStoppingTrials: 5,
      seed: input.seed + 1,
    });
    const result = await optimizer.compile(program, asAx(input.split.train), metric, {
      validationExamples: asAx(input.split.val),
      maxMetricCalls: input.maxMetricCalls,
      feedbackFn: feedbackFn,
    });
    const optimized = result.optimizedProgram as
      | { instruction?: string; componentMap?: Record<string, string>; demos?: { traces: unknown[] }[] }
      | undefined;
    const next = optimized?.componentMap?.["root::instruction"] ?? optimized?.instruction ?? instruction;
    const demos = (optimized?.demos ?? []).flatMap((d) => d.traces as { question: string; answer: string }[]);
    return {
      shipped: next !== instruction || demos.length > 0 ? axPrompt(next, demos) : null,
      error: null,
    };
  } catch (error) {
    return {
      shipped: null,
      error: error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error),
    };
  }
}

/** The program's answer field, as the text the evaluator scores. */
function answerOf(prediction: unknown): string {
  const answer = (prediction as { answer?: unknown } | null)?.answer;
  return typeof answer === "string" ? answer : answer === undefined ? "" : JSON.stringify(answer);
}
