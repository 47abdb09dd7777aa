/**
 * The models of a task that have no known price (not in the task's model_prices, not in the
 * catalogue, not served from this machine): a run refuses them before it starts, so
 * `kaizen init` and `kaizen validate` name them all at once, ahead of time.
 */
import { modelsOf } from "../core/defaults.js";
import { modelPricesYaml, resolvePrices } from "../core/prices.js";
import type { TaskConfig } from "../core/task-config-schema.js";

/** @param baseURL the model endpoint (OPENAI_BASE_URL): one on this machine makes every model free */
export function unpricedModels(config: TaskConfig, baseURL?: string): string[] {
  return resolvePrices(Object.values(modelsOf(config)), config.model_prices, baseURL).unknown;
}

/** What to add to the task file for those models. */
export function priceHint(models: readonly string[]): string {
  return `no price known for ${models.map((m) => `"${m}"`).join(", ")}: a run would be refused before it starts. Add ${models.length > 1 ? "them" : "it"} to the task file (USD per million tokens, from your provider's price list), e.g.\n${modelPricesYaml(models)}`;
}
