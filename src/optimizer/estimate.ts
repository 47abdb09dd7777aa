/**
 * The cost of a run, estimated before any call (anchors §8.3): the calls the plan makes per
 * model, times the real token counts of the task's data, times the model prices. The same
 * function picks the largest number of iterations that fits the budget, and refuses a run
 * that cannot even do the minimum.
 */
import { KaizenError } from "../core/errors.js";
import { costUsd, type PriceTable } from "../core/prices.js";
import type { CostEstimate } from "../core/records.js";
import { MAX_DEMO_SECTION_CHARS } from "../render/demos.js";
import { fillPlaceholders } from "../render/placeholders.js";
import { Random } from "../core/random.js";
import { stratifiedSplit, type Example } from "./dataset.js";
import { demonstrationPool } from "./demos.js";
import { judgeContext, judgeMessages } from "./evaluators/judge.js";
import { countMessageTokens, countTokens } from "./llm/tokens.js";
import { DEFAULT_LIMITS, DEMO_EVERY, DEMO_TRIES_WITHOUT_GAIN, GOOD_CASES } from "./limits.js";
import { TEACHER_SYSTEM } from "./search.js";

export interface SplitSizes {
  train: number;
  val: number;
  test: number;
}

/** The knobs of the search (defaults of §8.2). */
export interface SearchPlan {
  minibatch: number;
  initialProposals: number;
  iterations: number;
  acceptRate: number;
  racingFraction: number;
  topK: number;
  rejudgeSample: number;
  /** Whether the evaluator calls a judge model: without one, no judge call is planned. */
  usesJudge: boolean;
  /** Train records whose logged outputs are judged for the teacher's first proposals. */
  critiquedTrain: number;
  /** Demonstrations a candidate may carry (0: instructions only). */
  demos?: number;
}

export const DEFAULT_PLAN: SearchPlan = {
  minibatch: DEFAULT_LIMITS.minibatch,
  initialProposals: DEFAULT_LIMITS.initialProposals,
  iterations: DEFAULT_LIMITS.iterations,
  acceptRate: 0.3,
  racingFraction: 0.6,
  topK: 2,
  rejudgeSample: 10,
  usesJudge: true,
  critiquedTrain: 8,
  demos: DEFAULT_LIMITS.demos,
};
/** A run that cannot afford this many iterations is not worth starting. */
export const MIN_ITERATIONS = 3;

/** Mean token counts measured on the task's own data. */
export interface TokenMeans {
  /** The student's prompt: the template filled with a record's inputs. */
  studentInput: number;
  /** A logged output. */
  output: number;
  /** The template alone. */
  template: number;
  /** One demonstration (a well-scored record's inputs and output, quoted); 0 or absent without any. */
  demo?: number;
  /** One judge request on this data: its instructions, the task's context with four anchors, and a case. */
  judgeInput?: number;
  /** One case as the teacher is shown it: a record's inputs and output, quoted, with its score line. */
  teacherCase?: number;
  /** The task's description (the teacher reads it with every request). */
  description?: number;
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

/**
 * The train split the run would make of these records: which records land there depends only on
 * the score buckets' sizes, not on the shuffle, as far as demonstrations are concerned.
 */
function trainOf(
  examples: readonly {
    inputs: Record<string, unknown> | null;
    output: string | null;
    score?: number | null;
    expected?: string | null;
  }[],
): Example[] {
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

/** The frame of one case in the teacher's request (search.ts, propose), without its text. */
const TEACHER_CASE_FRAME = "<data>\nInput: \nOutput: \n</data>\nScore: 0.00\nCritique: <data></data>\n\n";

/**
 * Mean tokens of the template filled with the data's inputs, of the logged outputs, and of the
 * judge's and the teacher's requests built from the same records; the template alone (and 100
 * output tokens) without data.
 */
export function tokenMeans(
  template: string,
  examples: readonly {
    inputs: Record<string, unknown> | null;
    output: string | null;
    score?: number | null;
    expected?: string | null;
  }[],
  task: TaskText = { description: null, rubric: null },
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
    // A quoted example: its inputs, its output and the block's tags (~12 tokens), from the records
    // the search may quote (train's well-scored or corrected ones); 0 when the split leaves none
    // there, and then no iteration swaps examples.
    demo: (() => {
      const pool = demonstrationPool(trainOf(examples));
      return pool.length
        ? pool.reduce((s, d) => s + countTokens(JSON.stringify(d.inputs)) + countTokens(d.output) + 12, 0) /
            pool.length
        : 0;
    })(),
    judgeInput: records.length
      ? records.reduce((s, r) => s + countMessageTokens(judgeMessages(context, r, r.output)), 0) /
        records.length
      : countMessageTokens(judgeMessages(context, { inputs: {} }, "")) + countTokens(template) + 100,
    teacherCase:
      countTokens(TEACHER_CASE_FRAME) +
      mean(
        (e) => countTokens(JSON.stringify(e.inputs ?? {})) + countTokens(e.output ?? ""),
        countTokens(template) + 100,
      ),
    description: task.description ? countTokens(task.description) : 0,
    distinctOutputs: sample.length ? new Set(sample.map((e) => e.output ?? "")).size / sample.length : 1,
  };
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
  plan: SearchPlan;
  /** Models with no known price: their lines count tokens, and cost nothing here. */
  unpriced: string[];
  /** The run when no child beats its parent on a minibatch: nothing is validated or tested. */
  ifNothingFound?: { usd: number; calls: number };
}

/**
 * The critique of a judge's answer (`{"score": …, "critique": "<one or two sentences>"}` as
 * JUDGE_SYSTEM asks), as the teacher is shown it: a sentence and a half of about 20 tokens.
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
/** Cases in the teacher's first requests (search.ts): the worst logged train records, run by the seed first. */
const FIRST_FAILURES = 8;

/**
 * Iterations that swap a parent's demonstrations instead of asking the teacher (search.ts: every
 * DEMO_EVERY-th, counted from the first, when the data has well-scored records to quote).
 */
export function demoIterations(plan: SearchPlan, tokens: TokenMeans): number {
  if ((plan.demos ?? 0) === 0 || !tokens.demo) return 0;
  // After DEMO_TRIES_WITHOUT_GAIN children that fail, with none validated, the search gives the
  // rest to the teacher; whether examples will validate is not known before the run, and the
  // teacher is the costly model, so its calls are counted for the case they do not.
  return Math.min(Math.ceil(plan.iterations / DEMO_EVERY), DEMO_TRIES_WITHOUT_GAIN);
}

/**
 * The run's calls and cost: what it does when it runs its plan (every planned iteration runs; only
 * the budget stops the search early), with `ifNothingFound`, what it costs when no child beats
 * its parent on a minibatch (nothing is validated, nothing is tested).
 */
export function estimateRun(
  sizes: SplitSizes,
  tokens: TokenMeans,
  models: Models,
  prices: PriceTable,
  plan: SearchPlan = DEFAULT_PLAN,
): Estimate {
  const nothing = costOf(sizes, tokens, models, prices, plan, false);
  return {
    ...costOf(sizes, tokens, models, prices, plan, true),
    ifNothingFound: { usd: nothing.usd, calls: nothing.calls },
  };
}

function costOf(
  sizes: SplitSizes,
  tokens: TokenMeans,
  models: Models,
  prices: PriceTable,
  plan: SearchPlan,
  found: boolean,
): Estimate {
  const {
    minibatch: b,
    initialProposals: n0,
    iterations: i,
    racingFraction: f,
    topK: k,
    rejudgeSample: r,
  } = plan;
  const a = found ? plan.acceptRate : 0;
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
  const firstFailures = Math.min(FIRST_FAILURES, sizes.train);
  const evaluations = Math.ceil(
    firstFailures + proposals * b * 1.5 + (found ? proposals * a * f * v + v + (k + 1) * t : 0),
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
  const judgedEvaluations = touched + (evaluations - touched) * (tokens.distinctOutputs ?? 1);
  const judgeCalls = plan.usesJudge
    ? Math.ceil(v + t + r + Math.min(plan.critiquedTrain, sizes.train) + judgedEvaluations)
    : 0;
  // A demonstration child costs student (and judge) calls like any other, but no teacher call.
  const demoChildren = demoIterations(plan, tokens);
  const teacherCalls = proposals - demoChildren;
  // A set holds up to plan.demos examples whose records stay under MAX_DEMO_SECTION_CHARS
  // together (about 3 characters a token). The prompts that quote one are the demonstration
  // children's, on their minibatch and, if accepted, in validation; whether examples win and are
  // inherited is not known before the run, so their descendants are counted without.
  const demoTokens = Math.min(
    (plan.demos ?? 0) * (tokens.demo ?? 0),
    MAX_DEMO_SECTION_CHARS / 3 + (plan.demos ?? 0) * 12,
  );
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
  const critique = plan.usesJudge ? JUDGE_CRITIQUE_TOKENS : RULE_CRITIQUE_TOKENS;
  const teacherInputOf = (failures: number, good: number) =>
    tokens.teacherCase === undefined
      ? TEACHER_FRAME_TOKENS +
        tokens.template +
        b * (tokens.studentInput + tokens.output + JUDGE_OUTPUT_TOKENS)
      : countTokens(TEACHER_SYSTEM) +
        (tokens.description ?? 0) +
        tokens.template +
        failures * (tokens.teacherCase + critique) +
        good * tokens.teacherCase;
  const firstCalls = Math.min(n0, teacherCalls);
  const teacherInput =
    teacherCalls > 0
      ? (firstCalls * teacherInputOf(firstFailures, Math.min(GOOD_CASES, sizes.train)) +
          (teacherCalls - firstCalls) * teacherInputOf(b, Math.min(GOOD_CASES, sizes.train))) /
        teacherCalls
      : 0;
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
    usd: prices[model] ? costUsd(model, { input: calls * input, output: calls * output }, prices) : 0,
  });
  const lines = [
    line(
      "teacher",
      models.teacher,
      teacherCalls,
      teacherInput,
      tokens.template + INSTRUCTION_GROWTH_TOKENS + TEACHER_ANSWER_EXTRA_TOKENS,
    ),
    ...(plan.usesJudge ? [line("judge", models.judge, judgeCalls, judgeInput, JUDGE_OUTPUT_TOKENS)] : []),
    line("student", models.student, studentCalls, studentInput, tokens.output),
  ];
  return {
    lines,
    calls: teacherCalls + judgeCalls + studentCalls,
    usd: lines.reduce((s, l) => s + l.usd, 0),
    sizes,
    plan,
    unpriced: [...new Set(lines.filter((l) => !prices[l.model]).map((l) => l.model))],
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
  plan: SearchPlan = DEFAULT_PLAN,
): Estimate {
  const full = estimateRun(sizes, tokens, models, prices, plan);
  // Without every price the dollars are unknown: the plan is shown in tokens, never fitted.
  if (budgetUsd === null || full.usd <= budgetUsd || full.unpriced.length > 0) return full;
  for (let iterations = plan.iterations - 1; iterations >= MIN_ITERATIONS; iterations--) {
    const estimate = estimateRun(sizes, tokens, models, prices, { ...plan, iterations });
    if (estimate.usd <= budgetUsd) return estimate;
  }
  const minimum = estimateRun(sizes, tokens, models, prices, { ...plan, iterations: MIN_ITERATIONS });
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
    max_trials: estimate.plan.initialProposals + estimate.plan.iterations,
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

/** Train, validation and test sizes for `n` usable records (§8.2: 50% / 30% cap 80 / 20% cap 60). */
export function splitSizes(n: number): SplitSizes {
  const val = Math.min(Math.round(n * 0.3), 80);
  const test = Math.min(Math.round(n * 0.2), 60);
  return { train: n - val - test, val, test };
}
