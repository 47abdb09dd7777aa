/**
 * The cost estimate of optimizing a task now, from its real data: how many usable feedback
 * entries it has, and their token counts with the active template filled in. One request never
 * reads all of a task's feedback: a bounded sample of the newest entries and the store's counts. A model with no
 * known price is a 422 naming the task file's field and the YAML to add, never a 500.
 */
import { modelsOf } from "../core/defaults.js";
import { modelPricesYaml } from "../core/prices.js";
import type { CostEstimate, FeedbackResult } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { isUsable } from "../optimizer/dataset.js";
import { judgeRubric, usesJudge } from "../optimizer/evaluators/index.js";
import { pricesForRun } from "../optimizer/preflight.js";
import { HttpError } from "./api/http.js";
import {
  DEFAULT_PLAN,
  estimateRun,
  fitToBudget,
  splitSizes,
  toCostEstimate,
  tokenMeans,
  TOKEN_SAMPLE,
  type Estimate,
} from "../optimizer/estimate.js";
import type { Store } from "../store/store.js";

export interface TaskEstimate {
  estimate: Estimate;
  record: CostEstimate;
  usable: number;
  /** Set when the estimate exceeds the task's cost_budget. */
  budgetWarning: string | null;
}

/**
 * The usable entries of a task, counted without reading them all: the store's count of retained
 * entries, scaled by the usable share of the newest TOKEN_SAMPLE (read newest first, as a page
 * of GET feedback is, and no further); exact when the task holds no more than that.
 */
export async function feedbackSample(
  store: Store,
  task: string,
): Promise<{ usable: number; sample: FeedbackResult[] }> {
  const read: FeedbackResult[] = [];
  for await (const entry of store.readFeedback(task, { newestFirst: true })) {
    read.push(entry);
    if (read.length >= TOKEN_SAMPLE) break;
  }
  const sample = read.filter(isUsable);
  const retained = (await store.getTaskState(task))?.feedback_retained ?? read.length;
  const usable =
    read.length < TOKEN_SAMPLE || retained <= read.length
      ? sample.length
      : Math.round((retained * sample.length) / read.length);
  return { usable, sample };
}

export async function estimateTask(
  store: Store,
  config: TaskConfig,
  template: string,
  baseURL: string | undefined = process.env.OPENAI_BASE_URL,
): Promise<TaskEstimate> {
  const models = modelsOf(config);
  const { prices, unknown } = pricesForRun(config, models, baseURL);
  if (unknown.length > 0) {
    const file = `.kaizen/tasks/${config.name}.yml`;
    throw new HttpError(422, [
      {
        loc: ["task_file", file, "model_prices"],
        msg: `no price known for ${unknown.map((m) => `"${m}"`).join(", ")} (not in the price catalogue, and not served from a local or private address): set the field model_prices in ${file} (USD per million tokens, from your provider's price list), e.g.\n${modelPricesYaml(unknown)}`,
        type: "unknown_model_price",
      },
    ]);
  }
  const { usable, sample } = await feedbackSample(store, config.name);
  const tokens = tokenMeans(template, sample, {
    description: config.description,
    rubric: judgeRubric(config),
  });
  const sizes = splitSizes(usable);
  const plan = { ...DEFAULT_PLAN, usesJudge: usesJudge(config) };
  const full = estimateRun(sizes, tokens, models, prices, plan);
  let estimate = full;
  let budgetWarning: string | null = null;
  if (config.cost_budget !== null && full.usd > config.cost_budget) {
    try {
      estimate = fitToBudget(sizes, tokens, models, prices, config.cost_budget, plan);
      budgetWarning = `the full plan is estimated at $${full.usd.toFixed(4)}, over the cost_budget of $${config.cost_budget.toFixed(2)}: the run is cut to ${estimate.plan.iterations} iterations ($${estimate.usd.toFixed(4)})`;
    } catch (error) {
      budgetWarning = (error as Error).message;
    }
  }
  return { estimate, record: toCostEstimate(estimate, models), usable, budgetWarning };
}
