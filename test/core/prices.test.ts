import { describe, expect, it } from "vitest";
import { costUsd, priceOf, priceTable, UnknownModelPriceError } from "../../src/core/prices.js";

describe("model prices", () => {
  it("prices a call from the built-in table", () => {
    expect(costUsd("gpt-4o-mini", { input: 1_000, output: 200 }, priceTable(null))).toBeCloseTo(0.00027, 10);
  });

  it("lets a task's model_prices override and extend the table", () => {
    const prices = priceTable({
      "gpt-4o-mini": { input_per_mtok: 1, output_per_mtok: 2 },
      "my-model": { input_per_mtok: 3, output_per_mtok: 4 },
    });
    expect(costUsd("gpt-4o-mini", { input: 1_000_000, output: 1_000_000 }, prices)).toBe(3);
    expect(costUsd("my-model", { input: 500_000, output: 0 }, prices)).toBe(1.5);
  });

  it("refuses an unknown model with a message naming the model and model_prices", () => {
    expect(() => priceOf("mystery-1", priceTable(null))).toThrow(UnknownModelPriceError);
    expect(() => priceOf("mystery-1", priceTable(null))).toThrow(/"mystery-1".*model_prices/s);
  });
});
