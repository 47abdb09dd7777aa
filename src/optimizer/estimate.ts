/**
 * The cost of a run, estimated before any call, so that people approve a spend they can trust
 * and a run over its budget is refused before it spends: the calls the plan makes per model,
 * times the real token counts of the task's data (the very requests of prompts.ts, built on its
 * records), times the model prices. The same function picks the largest number of
 * iterations that fits the budget, and refuses a run that cannot even do the minimum.
 */
import { KaizenError } from "../core/errors.js";
import { costUsd, type PriceTable } from "../core/prices.js";
import type { CostEstimate } from "../core/records.js";
import type { PromptFormat } from "../core/task-config-schema.js";
import { MAX_DEMOS } from "../core/defaults.js";
import { withDemonstrations } from "../render/demos.js";
import { fillPlaceholders } from "../render/placeholders.js";
import { Random } from "../core/random.js";
import { stratifiedSplit, type Example, type SplitSizes } from "./dataset.js";
import { demonstrationPool, drawDemonstrations } from "./demos.js";
import { countMessageTokens, countTokens } from "./llm/tokens.js";
import { DEFAULT_KNOBS, DEMO_EVERY, DEMO_TRIES_WITHOUT_GAIN, MIN_ITERATIONS, type Knobs } from "./knobs.js";
import { describeCase, describeReference, judgeContext, judgeMessages, teacherMessages } from "./prompts.js";

/** Mean token counts measured on the task's own data. */
export interface TokenMeans {
  /** The student's prompt: the template filled with a record's inputs. */
  studentInput: number;
  /** A logged output. */
  output: number;
  /** The template alone. */
  template: number;
  /**
   * What a full set of demonstrations adds to a prompt: a set drawn from the run's own train
   * records as the search draws one, written into the template and counted; 0 without any.
   */
  demoSet?: number;
  /** One judge request on this data: its instructions, the task's context with four anchors, and a case. */
  judgeInput?: number;
  /** The teacher's request without its cases: its instructions, the task's description, the template. */
  teacherFrame?: number;
  /** One case as the teacher is shown it: a record's inputs and output, quoted, with its score line. */
  teacherCase?: number;
  /** One case with the answer people expect, as the teacher is shown it. */
  referenceCase?: number;
  /**
   * Distinct logged outputs ÷ records (1: every output differs; near 0: a few labels). A
   * judgment of an output the judge has already seen for the same record is served by the
   * response cache, and outputs repeat for one record at least as often as across records.
   */
  distinctOutputs?: number;
}

/** Token means are measured on this many entries: enough for a stable mean, cheap to count. */
export const TOKEN_SAMPLE = 200;

/** What the judge and the teacher read besides the data (the task file's description and rubric). */
export interface TaskText {
  description: string | null;
  rubric: string | null;
}

type Logged = {
  inputs: Record<string, unknown> | null;
  output: string | null;
  score?: number | null;
  expected?: string | null;
};

/** The train split a run would make of these records, for callers that have no split of their own. */
function trainOf(examples: readonly Logged[]): Example[] {
  const usable = examples
    .filter((e) => e.inputs && e.output !== null)
    .map((e, i) => ({
      id: String(i),
      inputs: e.inputs!,
      output: e.output!,
      score: e.score ?? 0,
      expected: e.expected ?? null,
    }));
  return stratifiedSplit(usable, new Random("estimate")).train;
}

/**
 * Mean tokens of the template filled with the data's inputs, of the logged outputs, and of the
 * judge's and the teacher's requests built from the same records; the template alone (and 100
 * output tokens) without data. `train` is the run's train split, where the demonstrations come from.
 */
export function tokenMeans(
  template: string,
  examples: readonly Logged[],
  task: TaskText = { description: null, rubric: null },
  options: { train?: readonly Example[]; demos?: number; format?: PromptFormat } = {},
): TokenMeans {
  const sample = examples.slice(0, TOKEN_SAMPLE);
  const mean = (count: (e: (typeof sample)[number]) => number, fallback: number) =>
    sample.length ? sample.reduce((s, e) => s + count(e), 0) / sample.length : fallback;
  const records = sample.map((e) => ({
    inputs: e.inputs ?? {},
    output: e.output ?? "",
    score: e.score ?? 0,
  }));
  const context = judgeContext({ ...task, anchors: records });
  return {
    studentInput: mean((e) => countTokens(fillPlaceholders(template, e.inputs)), countTokens(template)),
    output: mean((e) => countTokens(e.output ?? ""), 100),
    template: countTokens(template),
    demoSet: demoSetTokens(
      template,
      options.train ?? trainOf(examples),
      options.demos ?? MAX_DEMOS,
      options.format ?? "text",
    ),
    judgeInput: records.length
      ? records.reduce((s, r) => s + countMessageTokens(judgeMessages(context, r, r.output)), 0) /
        records.length
      : countMessageTokens(judgeMessages(context, { inputs: {} }, "")) + countTokens(template) + 100,
    teacherFrame: countMessageTokens(
      teacherMessages({ description: task.description, instruction: template, failures: [], good: [] }),
    ),
    teacherCase: mean(
      (e) =>
        countTokens(
          describeCase({
            inputs: e.inputs ?? {},
            output: e.output ?? "",
            expected: e.expected ?? null,
            score: 0,
            critique: null,
          }),
        ) + 1,
      countTokens(template) + 100,
    ),
    referenceCase: mean(
      (e) =>
        countTokens(describeReference({ inputs: e.inputs ?? {}, reference: e.expected ?? e.output ?? "" })) +
        1,
      countTokens(template) + 100,
    ),
    distinctOutputs: sample.length ? new Set(sample.map((e) => e.output ?? "")).size / sample.length : 1,
  };
}

/**
 * The tokens a full set of demonstrations adds to the template: drawn from these train records
 * as the search draws its first set, written into the template in the prompt's format.
 */
export function demoSetTokens(
  template: string,
  train: readonly Example[],
  size: number,
  format: PromptFormat,
): number {
  if (size === 0) return 0;
  const set = drawDemonstrations(demonstrationPool(train), size, new Random("plan"));
  if (set.length === 0) return 0;
  return countTokens(withDemonstrations(template, set, format)) - countTokens(template);
}

export interface Models {
  teacher: string;
  judge: string;
  student: string;
}

export interface ModelLine {
  role: "teacher" | "judge" | "student";
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
}

export interface Estimate {
  lines: ModelLine[];
  calls: number;
  usd: number;
  sizes: SplitSizes;
  knobs: Knobs;
  /** Models with no known price: their lines count tokens, and cost nothing here. */
  unpriced: string[];
  /** The held-out test's share of `usd`: the finalists and the seed on the test set. */
  testUsd: number;
  /** The run when no child beats its parent on a minibatch: nothing is validated or tested. */
  ifNothingFound?: { usd: number; calls: number };
}

/**
 * The critique of a judge's answer (`{"score": …, "critique": "<one or two sentences>"}` as
 * JUDGE_SYSTEM asks), as the teacher is shown it: a sentence and a half of about 20 tokens, and
 * the line that quotes it.
 */
const JUDGE_CRITIQUE_TOKENS = 30;
/** The judge's whole answer: the critique and about 12 tokens of JSON around it. */
const JUDGE_OUTPUT_TOKENS = JUDGE_CRITIQUE_TOKENS + 12;
/** A deterministic evaluator's reason ("exact_match: differs from the reference answer"). */
const RULE_CRITIQUE_TOKENS = 10;
/** The teacher's answer beyond the template it rewrites: the JSON keys and a one-line rationale. */
const TEACHER_ANSWER_EXTRA_TOKENS = 60;
/**
 * What a rewrite adds to the instruction it edits: TEACHER_SYSTEM asks for targeted edits stated
 * as general rules, so about two sentences a proposal, and a child's parent is often itself a
 * rewrite. The teacher writes the grown instruction and the student reads it.
 */
const INSTRUCTION_GROWTH_TOKENS = 50;
/** Without measured data: the judge prompt's instructions, rubric and four anchors, and the teacher's frame. */
const JUDGE_FRAME_TOKENS = 450;
const TEACHER_FRAME_TOKENS = 900;

/**
 * Iterations that swap a parent's demonstrations instead of asking the teacher (search.ts: every
 * DEMO_EVERY-th, counted from the first, when the data has well-scored records to quote).
 */
export function demoIterations(knobs: Knobs, tokens: TokenMeans): number {
  if (knobs.demos === 0 || !tokens.demoSet) return 0;
  // After DEMO_TRIES_WITHOUT_GAIN children that fail, with none validated, the search gives the
  // rest to the teacher; whether examples will validate is not known before the run, and the
  // teacher is the costly model, so its calls are counted for the case they do not.
  return Math.min(Math.ceil(knobs.iterations / DEMO_EVERY), DEMO_TRIES_WITHOUT_GAIN);
}

/**
 * The run's calls and cost: what it does when it runs its plan (every planned iteration runs; only
 * the budget, or the planned spend, stops the search early), with `ifNothingFound`, what it costs
 * when no child beats its parent on a minibatch (nothing is validated, nothing is tested).
 */
export function estimateRun(
  sizes: SplitSizes,
  tokens: TokenMeans,
  models: Models,
  prices: PriceTable,
  knobs: Knobs = DEFAULT_KNOBS,
): Estimate {
  const nothing = costOf(sizes, tokens, models, prices, knobs, false);
  return {
    ...costOf(sizes, tokens, models, prices, knobs, true),
    ifNothingFound: { usd: nothing.usd, calls: nothing.calls },
  };
}

function costOf(
  sizes: SplitSizes,
  tokens: TokenMeans,
  models: Models,
  prices: PriceTable,
  knobs: Knobs,
  found: boolean,
): Estimate {
  const { minibatch: b, initialProposals: n0, iterations: i, racingFraction: f, topK: k } = knobs;
  const a = found ? knobs.acceptRate : 0;
  const v = sizes.val;
  const t = sizes.test;
  const proposals = n0 + i;
  // What the run does (search.ts, gate.ts): every proposal's child runs on a minibatch; the
  // parent runs there too unless cached (plan half); accepted children race on validation, and
  // the best so far runs beside them (the seed once over the whole set: every later best has
  // already run there); the finalists and the seed run on test.
  // When nothing is accepted, only the minibatches run.
  // Before the first proposals the seed runs on the worst logged train records, so the teacher
  // sees the student's outputs.
  const firstFailures = Math.min(knobs.firstFailures, sizes.train);
  const testEvaluations = found ? (k + 1) * t : 0;
  const evaluations = Math.ceil(
    firstFailures + proposals * b * 1.5 + (found ? proposals * a * f * v + v : 0) + testEvaluations,
  );
  // The seed's share of them: its first failures, its half of the first proposals' minibatches,
  // and, when something is accepted, validation and test.
  const seedEvaluations = firstFailures + n0 * b * 0.5 + (found ? v + t : 0);
  const studentCalls = evaluations;
  // The judge is paid once per distinct (record, output): the first evaluation of each record the
  // run touches, and of the later ones only the share whose output has not been seen before.
  const touched = Math.min(
    evaluations,
    Math.min(sizes.train, firstFailures + proposals * b) + (found ? v + t : 0),
  );
  const distinct = tokens.distinctOutputs ?? 1;
  const judgedEvaluations = touched + (evaluations - touched) * distinct;
  const judgeCalls = knobs.usesJudge
    ? Math.ceil(v + t + knobs.rejudgeSample + Math.min(knobs.critiquedTrain, sizes.train) + judgedEvaluations)
    : 0;
  // A demonstration child costs student (and judge) calls like any other, but no teacher call.
  const demoChildren = demoIterations(knobs, tokens);
  const teacherCalls = proposals - demoChildren;
  // The prompts that quote a set are the demonstration children's, on their minibatch and, if
  // accepted, in validation; whether examples win and are inherited is not known before the run,
  // so their descendants are counted without (the search stops at the planned spend when they
  // are: run-plan.ts).
  const demoTokens = tokens.demoSet ?? 0;
  const demoEvaluations = Math.min(evaluations, demoChildren * (b + a * f * v));
  // Every other prompt is a rewrite, longer than the template by the rules the teacher added.
  const studentInput =
    tokens.studentInput +
    (evaluations > 0
      ? (demoTokens * demoEvaluations +
          INSTRUCTION_GROWTH_TOKENS * Math.max(0, evaluations - seedEvaluations)) /
        evaluations
      : 0);
  const judgeInput =
    tokens.judgeInput ??
    JUDGE_FRAME_TOKENS + 4 * (tokens.studentInput + tokens.output) + tokens.studentInput + tokens.output;
  // The teacher reads its instructions, the task, the template and the cases it is shown: the
  // worst logged records first, then each iteration's minibatch, and beside them a few records
  // with the answer people expect.
  const critique = knobs.usesJudge ? JUDGE_CRITIQUE_TOKENS : RULE_CRITIQUE_TOKENS;
  const good = Math.min(knobs.goodCases, sizes.train);
  const teacherInputOf = (failures: number) =>
    tokens.teacherCase === undefined
      ? TEACHER_FRAME_TOKENS +
        tokens.template +
        b * (tokens.studentInput + tokens.output + JUDGE_OUTPUT_TOKENS)
      : (tokens.teacherFrame ?? TEACHER_FRAME_TOKENS) +
        failures * (tokens.teacherCase + critique) +
        good * (tokens.referenceCase ?? tokens.teacherCase);
  const firstCalls = Math.min(n0, teacherCalls);
  const teacherInput =
    teacherCalls > 0
      ? (firstCalls * teacherInputOf(firstFailures) + (teacherCalls - firstCalls) * teacherInputOf(b)) /
        teacherCalls
      : 0;
  const usdOf = (model: string, input: number, output: number) =>
    Object.hasOwn(prices, model) ? costUsd(model, { input, output }, prices) : 0;
  const line = (
    role: ModelLine["role"],
    model: string,
    calls: number,
    input: number,
    output: number,
  ): ModelLine => ({
    role,
    model,
    calls,
    inputTokens: Math.round(calls * input),
    outputTokens: Math.round(calls * output),
    usd: usdOf(model, calls * input, calls * output),
  });
  const lines = [
    line(
      "teacher",
      models.teacher,
      teacherCalls,
      teacherInput,
      tokens.template + INSTRUCTION_GROWTH_TOKENS + TEACHER_ANSWER_EXTRA_TOKENS,
    ),
    ...(knobs.usesJudge ? [line("judge", models.judge, judgeCalls, judgeInput, JUDGE_OUTPUT_TOKENS)] : []),
    line("student", models.student, studentCalls, studentInput, tokens.output),
  ];
  // The test phase: its student calls and the judgments of outputs not seen before.
  const testUsd =
    usdOf(models.student, testEvaluations * studentInput, testEvaluations * tokens.output) +
    (knobs.usesJudge
      ? usdOf(
          models.judge,
          testEvaluations * distinct * judgeInput,
          testEvaluations * distinct * JUDGE_OUTPUT_TOKENS,
        )
      : 0);
  return {
    lines,
    calls: teacherCalls + judgeCalls + studentCalls,
    usd: lines.reduce((s, l) => s + l.usd, 0),
    sizes,
    knobs,
    unpriced: [...new Set(lines.filter((l) => !prices[l.model]).map((l) => l.model))],
    testUsd,
  };
}

/** Not even the minimum run fits the budget. */
export class BudgetTooSmallError extends KaizenError {
  override name = "BudgetTooSmallError";
}

/**
 * The plan with the most iterations (up to the planned number) whose estimate fits `budgetUsd`.
 * @throws BudgetTooSmallError when even MIN_ITERATIONS do not fit
 */
export function fitToBudget(
  sizes: SplitSizes,
  tokens: TokenMeans,
  models: Models,
  prices: PriceTable,
  budgetUsd: number | null,
  knobs: Knobs = DEFAULT_KNOBS,
): Estimate {
  const full = estimateRun(sizes, tokens, models, prices, knobs);
  // Without every price the dollars are unknown: the plan is shown in tokens, never fitted.
  if (budgetUsd === null || full.usd <= budgetUsd || full.unpriced.length > 0) return full;
  for (let iterations = knobs.iterations - 1; iterations >= MIN_ITERATIONS; iterations--) {
    const estimate = estimateRun(sizes, tokens, models, prices, { ...knobs, iterations });
    if (estimate.usd <= budgetUsd) return estimate;
  }
  const minimum = estimateRun(sizes, tokens, models, prices, { ...knobs, iterations: MIN_ITERATIONS });
  throw new BudgetTooSmallError(
    `the budget of $${budgetUsd.toFixed(2)} cannot pay for even ${MIN_ITERATIONS} iterations (estimated $${minimum.usd.toFixed(4)}); raise cost_budget or use cheaper models`,
  );
}

/** The seeds' CostEstimate record of an estimate. */
export function toCostEstimate(estimate: Estimate, models: Models): CostEstimate {
  return {
    estimated_cost_usd: Number(estimate.usd.toFixed(6)),
    estimated_llm_calls: estimate.calls,
    train_size: estimate.sizes.train,
    val_size: estimate.sizes.val,
    max_trials: estimate.knobs.initialProposals + estimate.knobs.iterations,
    teacher_model: models.teacher,
    judge_model: models.judge,
  };
}
/** The estimate as a markdown table for people: calls, tokens and dollars per model. */
export function estimateTable(estimate: Estimate): string {
  const unknown = (model: string) => estimate.unpriced.includes(model);
  const rows = estimate.lines.map(
    (l) =>
      `| ${l.role} | \`${l.model}\` | ${l.calls} | ${l.inputTokens.toLocaleString("en-US")} | ${l.outputTokens.toLocaleString("en-US")} | ${unknown(l.model) ? "no price" : `$${l.usd.toFixed(4)}`} |`,
  );
  return [
    "| role | model | calls | input tokens | output tokens | cost (USD) |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    `| **total** | | **${estimate.calls}** | | | **${estimate.unpriced.length > 0 ? "unknown" : `$${estimate.usd.toFixed(4)}`}** |`,
    ...(estimate.ifNothingFound && estimate.unpriced.length === 0
      ? [
          "",
          `If no candidate beats its parent on a minibatch, nothing is validated or tested: about ${estimate.ifNothingFound.calls} calls, $${estimate.ifNothingFound.usd.toFixed(4)}.`,
        ]
      : []),
  ].join("\n");
}
