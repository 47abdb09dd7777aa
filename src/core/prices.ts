/**
 * What model calls cost: a built-in price table (USD per million tokens, OpenAI's list prices
 * as published in 2025; check them against your provider's) merged with a task's own
 * `model_prices`, which wins. An unknown model is an error before a run starts, never a guess.
 */
import { KaizenError } from "./errors.js";

export interface ModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
}

export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  "gpt-4o": { input_per_mtok: 2.5, output_per_mtok: 10 },
  "gpt-4o-mini": { input_per_mtok: 0.15, output_per_mtok: 0.6 },
  "gpt-4.1": { input_per_mtok: 2, output_per_mtok: 8 },
  "gpt-4.1-mini": { input_per_mtok: 0.4, output_per_mtok: 1.6 },
  "gpt-4.1-nano": { input_per_mtok: 0.1, output_per_mtok: 0.4 },
  "o3-mini": { input_per_mtok: 1.1, output_per_mtok: 4.4 },
  "o4-mini": { input_per_mtok: 1.1, output_per_mtok: 4.4 },
  "gpt-5": { input_per_mtok: 1.25, output_per_mtok: 10 },
  "gpt-5-mini": { input_per_mtok: 0.25, output_per_mtok: 2 },
  "gpt-5-nano": { input_per_mtok: 0.05, output_per_mtok: 0.4 },
};

export class UnknownModelPriceError extends KaizenError {
  override name = "UnknownModelPriceError";
  constructor(readonly model: string) {
    super(
      `no price known for model "${model}": add it to the task's model_prices, e.g.\n  model_prices:\n    ${model}: { input_per_mtok: 0.5, output_per_mtok: 1.5 }`,
    );
  }
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The built-in table with a task's overrides on top. */
export function priceTable(overrides: PriceTable | null | undefined): PriceTable {
  return { ...BUILT_IN_PRICES, ...(overrides ?? {}) };
}

/** @throws UnknownModelPriceError */
export function priceOf(model: string, prices: PriceTable): ModelPrice {
  const price = prices[model];
  if (!price) throw new UnknownModelPriceError(model);
  return price;
}

/**
 * @example costUsd("gpt-4o-mini", { input: 1_000, output: 200 }, priceTable(null)) // 0.00027
 */
export function costUsd(
  model: string,
  tokens: { input: number; output: number },
  prices: PriceTable,
): number {
  const price = priceOf(model, prices);
  return (tokens.input * price.input_per_mtok + tokens.output * price.output_per_mtok) / 1_000_000;
}
