/**
 * The cost estimate of optimizing a task now, from its real data: how many usable feedback
 * entries it has, and their token counts with the active template filled in.
 */
import { modelsOf } from "../core/defaults.js";
import { priceTable } from "../core/prices.js";
import type { CostEstimate } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { fitToBudget, estimateRun, splitSizes, toCostEstimate, type Estimate } from "../optimizer/estimate.js";
import { countTokens } from "../optimizer/llm/tokens.js";
import { fillPlaceholders } from "../render/placeholders.js";
import type { Store } from "../store/store.js";

/** Token means are measured on this many entries: enough for a stable mean, cheap to count. */
const TOKEN_SAMPLE = 200;

export interface TaskEstimate {
  estimate: Estimate;
  record: CostEstimate;
  usable: number;
  /** Set when the estimate exceeds the task's cost_budget. */
  budgetWarning: string | null;
}

export async function estimateTask(store: Store, config: TaskConfig, template: string): Promise<TaskEstimate> {
  let usable = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let sampled = 0;
  for await (const entry of store.readFeedback(config.name)) {
    if (entry.score === null || (entry.output === null && entry.inputs === null)) continue;
    usable++;
    if (sampled < TOKEN_SAMPLE) {
      sampled++;
      inputTokens += countTokens(fillPlaceholders(template, entry.inputs));
      outputTokens += countTokens(entry.output ?? "");
    }
  }
  const tokens = { studentInput: sampled ? inputTokens / sampled : countTokens(template), output: sampled ? outputTokens / sampled : 100, template: countTokens(template) };
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
