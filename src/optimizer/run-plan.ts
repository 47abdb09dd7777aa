/**
 * A run's plan, made once from the task, its data and its prices: the knobs the search, the gate
 * and the agreement measure run with, the token counts of the run's own records (a full set of
 * its demonstrations among them), the estimate people decide on, and the spends that bound the
 * run. The API's answer, the plan `kaizen optimize --dry-run` prints and the run's budget are this
 * one object (src/jobs/plan.ts makes it for every surface).
 */
import type { PriceTable } from "../core/prices.js";
import type { PromptFormat } from "../core/task-config-schema.js";
import { DEMO_SECTION_ROOM_CHARS } from "../render/demos.js";
import type { Example, Split, SplitSizes } from "./dataset.js";
import {
  BudgetTooSmallError,
  estimateRun,
  fitToBudget,
  tokenMeans,
  type Estimate,
  type Models,
  type TokenMeans,
} from "./estimate.js";
import { DEFAULT_KNOBS, type Knobs } from "./knobs.js";
import { countMessageTokens, countTokens } from "./llm/tokens.js";
import { costUsd } from "../core/prices.js";
import { studentMessages, type ModuleType } from "./prompts.js";

/** What the plan needs to know of the task. */
export interface PlanTask {
  template: string;
  description: string | null;
  rubric: string | null;
  moduleType: ModuleType;
  format: PromptFormat;
  usesJudge: boolean;
}

export interface RunPlan {
  models: Models;
  prices: PriceTable;
  /** Models with no known price: a run is refused before any call. */
  unpriced: string[];
  /** The run's cap in US dollars (the task's cost_budget and the caller's cap, the lower); null for none. */
  budgetUsd: number | null;
  /** The run's shape, its iterations fitted to the budget. */
  knobs: Knobs;
  sizes: SplitSizes;
  tokens: TokenMeans;
  estimate: Estimate;
  /** The full plan's cost when the budget cut its iterations; null when it was not cut. */
  cutFrom: { usd: number; iterations: number } | null;
  /** Why not even the smallest run fits the budget; null when one does. A run refuses to start. */
  tooSmall: string | null;
  /**
   * The spend at which the search stops, so that the held-out test keeps its planned share: the
   * estimate counts examples on the children that first quote them, not on their descendants,
   * and where examples win every later prompt quotes them; the search then stops at the spend
   * people approved instead of running its iterations at several times the planned tokens.
   * Null when some price is unknown.
   */
  searchStopUsd: number | null;
  /** The held-out test's worst case, set aside from the start so a run can always decide. */
  testFloorUsd: number;
}

/**
 * @example
 * const plan = makeRunPlan({ task, split, models, prices, unpriced: [], budgetUsd: 2 });
 * plan.estimate.usd; // what people approve; plan.knobs is what the search and the gate run
 */
export function makeRunPlan(input: {
  task: PlanTask;
  /** The run's split (empty sets when there is not enough data). */
  split: Split;
  models: Models;
  prices: PriceTable;
  unpriced: readonly string[];
  budgetUsd: number | null;
  knobs?: Partial<Knobs>;
}): RunPlan {
  const { task, split, models, prices, budgetUsd } = input;
  const knobs: Knobs = { ...DEFAULT_KNOBS, usesJudge: task.usesJudge, ...input.knobs };
  const examples: Example[] = [...split.train, ...split.val, ...split.test];
  const tokens = tokenMeans(
    task.template,
    examples,
    { description: task.description, rubric: task.rubric },
    { train: split.train, demos: knobs.demos, format: task.format },
  );
  const sizes = { train: split.train.length, val: split.val.length, test: split.test.length };
  const full = estimateRun(sizes, tokens, models, prices, knobs);
  let estimate = full;
  let tooSmall: string | null = null;
  if (examples.length > 0)
    try {
      estimate = fitToBudget(sizes, tokens, models, prices, budgetUsd, knobs);
    } catch (error) {
      if (!(error instanceof BudgetTooSmallError)) throw error;
      tooSmall = error.message;
    }
  const priced = estimate.unpriced.length === 0 && input.unpriced.length === 0;
  return {
    models,
    prices,
    unpriced: [...input.unpriced],
    budgetUsd,
    knobs: estimate.knobs,
    sizes,
    tokens,
    estimate,
    cutFrom:
      estimate.knobs.iterations < full.knobs.iterations
        ? { usd: full.usd, iterations: full.knobs.iterations }
        : null,
    tooSmall,
    searchStopUsd: priced && estimate.usd > 0 ? estimate.usd - estimate.testUsd : null,
    testFloorUsd: priced
      ? testPhaseWorstCase(
          task.template,
          split.test,
          models,
          prices,
          task.moduleType,
          knobs.usesJudge,
          estimate.knobs.topK + 1,
        )
      : 0,
  };
}

/** The most a quoted examples section adds to a prompt, in tokens (about 3 characters a token). */
const DEMO_ROOM_TOKENS = Math.ceil(DEMO_SECTION_ROOM_CHARS / 3);

/**
 * The held-out test's worst case: `prompts` prompts × test examples × (student + judge), with
 * room for longer candidates and for a full set of quoted examples.
 */
export function testPhaseWorstCase(
  template: string,
  test: readonly Example[],
  models: { student: string; judge: string },
  prices: PriceTable,
  moduleType: ModuleType,
  judged: boolean,
  prompts: number,
): number {
  let perPrompt = 0;
  for (const e of test) {
    const input = countMessageTokens(studentMessages(template, e, moduleType));
    perPrompt += costUsd(models.student, { input: input * 1.5 + DEMO_ROOM_TOKENS, output: 800 }, prices);
    if (judged)
      perPrompt += costUsd(
        models.judge,
        { input: input + countTokens(e.output) + 1_500, output: 200 },
        prices,
      );
  }
  return perPrompt * prompts;
}
