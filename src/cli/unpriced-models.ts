/**
 * The models of a task that have no known price: a run refuses them before it starts, so
 * `kaizen init` and `kaizen validate` name them all at once, ahead of time.
 */
import { modelsOf } from "../core/defaults.js";
import { priceTable } from "../core/prices.js";
import type { TaskConfig } from "../core/task-config-schema.js";

export function unpricedModels(config: TaskConfig): string[] {
  const prices = priceTable(config.model_prices);
  const models = Object.values(modelsOf(config));
  return [...new Set(models)].filter((model) => !(model in prices));
}

/** What to add to the task file for those models. */
export function priceHint(models: readonly string[]): string {
  return `no price known for ${models.map((m) => `"${m}"`).join(", ")}: a run would be refused before it starts. Add ${models.length > 1 ? "them" : "it"} to model_prices, e.g.\n  model_prices:\n${models.map((m) => `    ${m}: { input_per_mtok: 0.5, output_per_mtok: 1.5 }`).join("\n")}`;
}
