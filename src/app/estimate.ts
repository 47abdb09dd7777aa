/**
 * The cost estimate in the API's optimize answer: the run's own plan (src/jobs/plan.ts), made
 * from the task's real data the way the run makes it. A model with no known price is a 422
 * naming the task file's field and the YAML to add, never a 500.
 */
import { modelPricesYaml } from "../core/prices.js";
import type { CostEstimate } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { planRun } from "../jobs/plan.js";
import { toCostEstimate } from "../optimizer/estimate.js";
import type { PlannedRun } from "../optimizer/pipeline.js";
import type { Store } from "../store/store.js";
import { HttpError } from "./api/http.js";

export interface TaskEstimate {
  planned: PlannedRun;
  record: CostEstimate;
  /** Set when the estimate exceeds the task's cost_budget. */
  budgetWarning: string | null;
}

/** What the optimize answer shows of an estimate. */
export interface EstimateAnswer {
  record: CostEstimate;
  budgetWarning: string | null;
}

/** Makes the optimize answer's estimate of a task (in process, or on a thread: estimateOnThread). */
export type Estimator = (config: TaskConfig) => Promise<EstimateAnswer>;

/** The split's seed of an estimate made before its job exists (the run splits by its job id). */
const ESTIMATE_SEED = "api-estimate";

export async function estimateTask(
  store: Store,
  config: TaskConfig,
  baseURL: string | undefined = process.env.OPENAI_BASE_URL,
): Promise<TaskEstimate> {
  const planned = await planRun(store, config.name, {
    seed: ESTIMATE_SEED,
    ...(baseURL ? { baseURL } : {}),
  });
  const { plan } = planned;
  if (plan.unpriced.length > 0) {
    const file = `.kaizen/tasks/${config.name}.yml`;
    throw new HttpError(422, [
      {
        loc: ["task_file", file, "model_prices"],
        msg: `no price known for ${plan.unpriced.map((m) => `"${m}"`).join(", ")} (not in the price catalogue, and not served from a local or private address): set the field model_prices in ${file} (USD per million tokens, from your provider's price list), e.g.\n${modelPricesYaml(plan.unpriced)}`,
        type: "unknown_model_price",
      },
    ]);
  }
  const budgetWarning =
    plan.tooSmall ??
    (plan.cutFrom && config.cost_budget !== null
      ? `the full plan is estimated at $${plan.cutFrom.usd.toFixed(4)}, over the cost_budget of $${config.cost_budget.toFixed(2)}: the run is cut to ${plan.knobs.iterations} iterations ($${plan.estimate.usd.toFixed(4)})`
      : null);
  return { planned, record: toCostEstimate(plan.estimate, plan.models), budgetWarning };
}
