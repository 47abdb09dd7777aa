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
    // I=12, N0=3 (15 proposals), b=10, a=0.3, f=0.6, k=2, r=10, V=30, T=20, 8 train critiques
    // evaluations = 15·10·1.5 (child + half the parents) + 15·0.3·0.6·30 (racing) + 0.6·30 (the seed
    //               on validation) + 3·20 (test) = 225 + 81 + 18 + 60 = 384 student calls
    // judge   = 30 + 20 (logged val ∪ test) + 10 (re-judge) + 8 (train critiques) + 384 = 452
    // teacher = 15, one per proposal
    const estimate = estimateRun(sizes, tokens, models, prices, DEFAULT_PLAN);
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 15],
      ["judge", 452],
      ["student", 384],
    ]);
    expect(estimate.calls).toBe(851);
    // student: 384 calls × (100 in × $1 + 50 out × $1) / 1M = $0.0576
    expect(estimate.lines[2]!.usd).toBeCloseTo(0.0576, 8);
    expect(toCostEstimate(estimate, models)).toMatchObject({
      estimated_llm_calls: 851,
      train_size: 50,
      val_size: 30,
      max_trials: 15,
      teacher_model: "t",
      judge_model: "j",
    });
    expect(estimateTable(estimate)).toContain("| student | `s` | 384 |");
  });

  it("plans no judge call when the evaluator is deterministic", () => {
    const estimate = estimateRun(sizes, tokens, models, prices, { ...DEFAULT_PLAN, usesJudge: false });
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 15],
      ["student", 384],
    ]);
  });

  it("shows the plan in tokens when a model has no price, and never fits it to a budget", () => {
    const partial = priceTable({ t: { input_per_mtok: 10, output_per_mtok: 20 } });
    const estimate = fitToBudget(sizes, tokens, { ...models, student: "mystery-model" }, partial, 0.0001);
    expect(estimate.unpriced).toEqual(["j", "mystery-model"]);
    const table = estimateTable(estimate);
    expect(table).toContain("| student | `mystery-model` | 384 | 38,400 | 19,200 | no price |");
    expect(table).toContain("**unknown**");
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
