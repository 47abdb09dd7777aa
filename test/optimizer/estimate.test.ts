import { describe, expect, it } from "vitest";
import { priceTable } from "../../src/core/prices.js";
import {
  BudgetTooSmallError,
  DEFAULT_PLAN,
  estimateRun,
  estimateTable,
  fitToBudget,
  splitSizes,
  toCostEstimate,
} from "../../src/optimizer/estimate.js";

const prices = priceTable({
  t: { input_per_mtok: 10, output_per_mtok: 20 },
  j: { input_per_mtok: 1, output_per_mtok: 2 },
  s: { input_per_mtok: 1, output_per_mtok: 1 },
});
const models = { teacher: "t", judge: "j", student: "s" };
const tokens = { studentInput: 100, output: 50, template: 80 };
const sizes = { train: 50, val: 30, test: 20 };

describe("the cost estimate", () => {
  it("plans the calls of anchors §8.3, checked by hand", () => {
    // I=12, b=6, a=0.3, f=0.6, k=2, r=10, N0=3, V=30, T=20
    // student = 12·6 + 12·0.3·0.6·30 + 3·20 = 72 + 64.8 + 60 = 196.8 → 197
    // judge   = 30 + 20 + 10 + 72 + 64.8 + 60 = 256.8 → 257
    // teacher = 1 + 3 + 12 = 16
    const estimate = estimateRun(sizes, tokens, models, prices, DEFAULT_PLAN);
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 16],
      ["judge", 257],
      ["student", 197],
    ]);
    expect(estimate.calls).toBe(470);
    // student: 197 calls × (100 in × $1 + 50 out × $1) / 1M = $0.02955
    expect(estimate.lines[2]!.usd).toBeCloseTo(0.02955, 8);
    expect(toCostEstimate(estimate, models)).toMatchObject({
      estimated_llm_calls: 470,
      train_size: 50,
      val_size: 30,
      max_trials: 15,
      teacher_model: "t",
      judge_model: "j",
    });
    expect(estimateTable(estimate)).toContain("| student | `s` | 197 |");
  });

  it("fits the largest plan into a budget, and refuses one that cannot pay for three iterations", () => {
    const full = estimateRun(sizes, tokens, models, prices);
    const fitted = fitToBudget(sizes, tokens, models, prices, full.usd * 0.7);
    expect(fitted.plan.iterations).toBeLessThan(12);
    expect(fitted.usd).toBeLessThanOrEqual(full.usd * 0.7);
    expect(() => fitToBudget(sizes, tokens, models, prices, 0.0001)).toThrow(BudgetTooSmallError);
  });

  it("splits 50% / 30% capped at 80 / 20% capped at 60", () => {
    expect(splitSizes(100)).toEqual({ train: 50, val: 30, test: 20 });
    expect(splitSizes(1000)).toEqual({ train: 860, val: 80, test: 60 });
  });
});
