import { describe, expect, it } from "vitest";
import { Budget } from "../../src/optimizer/budget.js";
import { BudgetExceededError } from "../../src/optimizer/errors.js";

const usage = { role: "student" as const, model: "m", inputTokens: 10, outputTokens: 5 };

describe("Budget", () => {
  it("refuses a reservation that would cross the limit, saying what was needed and what remains", () => {
    const budget = new Budget(1);
    budget.reserve(0.7);
    expect(() => budget.reserve(0.5)).toThrow(BudgetExceededError);
    expect(() => budget.reserve(0.5)).toThrow(/0\.5/);
  });

  it("settles the real cost and frees the rest of the reservation", () => {
    const budget = new Budget(1);
    const r = budget.reserve(0.8);
    budget.settle(r, { ...usage, usd: 0.1 });
    expect(budget.snapshot()).toMatchObject({ spentUsd: 0.1, reservedUsd: 0, calls: 1 });
    expect(budget.remainingUsd).toBeCloseTo(0.9);
    budget.settle(r, { ...usage, usd: 0.1 });
    expect(budget.snapshot().calls).toBe(1);
  });

  it("keeps the floor for the final test: other phases cannot spend it, the owner can", () => {
    const budget = new Budget(1);
    budget.setFloor(0.6);
    expect(() => budget.reserve(0.5)).toThrow(BudgetExceededError);
    const search = budget.reserve(0.4);
    budget.release(search);
    expect(budget.reserve(0.9, true).fromFloor).toBe(true);
  });

  it("never overshoots under many concurrent reservations", async () => {
    const budget = new Budget(0.05);
    let refused = 0;
    await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 7));
        try {
          const r = budget.reserve(0.001);
          await new Promise((resolve) => setTimeout(resolve, i % 5));
          budget.settle(r, { ...usage, usd: 0.0009 });
        } catch (error) {
          if (!(error instanceof BudgetExceededError)) throw error;
          refused++;
        }
      }),
    );
    expect(refused).toBeGreaterThan(0);
    expect(budget.snapshot().spentUsd).toBeLessThanOrEqual(0.05);
  });

  it("is unlimited with a null limit", () => {
    expect(new Budget(null).reserve(1e9).amount).toBe(1e9);
  });
});
