/**
 * The cost estimate of optimizing a task now, from its real data: how many usable feedback
 * entries it has, and their token counts with the active template filled in.
 */
import { modelsOf } from "../core/defaults.js";
import { priceTable } from "../core/prices.js";
import type { CostEstimate, FeedbackResult } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { isUsable } from "../optimizer/dataset.js";
import {
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

export async function estimateTask(
  store: Store,
  config: TaskConfig,
  template: string,
): Promise<TaskEstimate> {
  let usable = 0;
  const sample: FeedbackResult[] = [];
  for await (const entry of store.readFeedback(config.name)) {
    if (!isUsable(entry)) continue;
    usable++;
    if (sample.length < TOKEN_SAMPLE) sample.push(entry);
  }
  const tokens = tokenMeans(template, sample);
  const models = modelsOf(config);
  const prices = priceTable(config.model_prices);
  const sizes = splitSizes(usable);
  const full = estimateRun(sizes, tokens, models, prices);
  let estimate = full;
  let budgetWarning: string | null = null;
  if (config.cost_budget !== null && full.usd > config.cost_budget) {
    try {
      estimate = fitToBudget(sizes, tokens, models, prices, config.cost_budget);
      budgetWarning = `the full plan is estimated at $${full.usd.toFixed(4)}, over the cost_budget of $${config.cost_budget.toFixed(2)}: the run is cut to ${estimate.plan.iterations} iterations ($${estimate.usd.toFixed(4)})`;
    } catch (error) {
      budgetWarning = (error as Error).message;
    }
  }
  return { estimate, record: toCostEstimate(estimate, models), usable, budgetWarning };
}
