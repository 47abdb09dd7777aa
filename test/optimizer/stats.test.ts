import { describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.js";
import {
  bootstrapMean,
  boundedMeanInterval,
  signTest,
  signTestP,
  decisiveSize,
  examplesToDecide,
  meanAbsoluteError,
  pairedBootstrap,
  ranks,
  spearman,
  standardDeviation,
} from "../../src/optimizer/stats.js";

describe("the seeded random generator", () => {
  it("repeats for a seed, differs across seeds, and forks independent streams", () => {
    const draws = (seed: string) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.int(1000)
        )(new Random(seed)),
      );
    expect(draws("job-1")).toEqual(draws("job-1"));
    expect(draws("job-1")).not.toEqual(draws("job-2"));
    const parent = new Random("job-1");
    const fork = parent.fork("split").int(1000);
    parent.next();
    expect(parent.fork("split").int(1000)).toBe(fork);
  });

  it("shuffles into a permutation and samples distinct items", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = new Random("s").shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(new Set(new Random("s").sample(items, 7)).size).toBe(7);
  });
});

describe("statistics", () => {
  it("ranks ties by their average rank", () => {
    expect(ranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
  });

  it("computes Spearman's rho by hand-checked examples", () => {
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toEqual({
      value: expect.closeTo(0.8208, 3),
      reason: null,
    });
    expect(spearman([1, 2, 3], [3, 2, 1]).value).toBeCloseTo(-1);
  });

  it("reports an undefined correlation with its reason instead of NaN", () => {
    expect(spearman([1, 1, 1, 1], [0.1, 0.5, 0.9, 0.3])).toEqual({
      value: null,
      reason: expect.stringContaining("constant"),
    });
    expect(spearman([1, 2], [1, 2])).toEqual({ value: null, reason: "too few pairs (2) to correlate" });
  });

  it("computes MAE and standard deviation", () => {
    expect(meanAbsoluteError([0, 0.5, 1], [0.2, 0.5, 0.7])).toBeCloseTo(0.5 / 3);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
  });

  it("gives a paired bootstrap interval above zero for a real improvement, and around zero for none", () => {
    const baseline = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const better = baseline.map((x, i) => (i % 2 === 0 ? 1 : x));
    const improved = pairedBootstrap(baseline, better, { seed: "t" });
    expect(improved.low).toBeGreaterThan(0);
    const same = pairedBootstrap(baseline, [...baseline.slice(1), baseline[0]!], { seed: "t" });
    expect(same.low).toBeLessThan(0);
    expect(same.high).toBeGreaterThan(0);
    expect(bootstrapMean([0.5], { seed: "x" })).toEqual({ mean: 0.5, low: 0.5, high: 0.5 });
  });
});

describe("statistics that hold at small samples", () => {
  it("gives the exact one-sided sign test, ties dropped", () => {
    expect(signTest([0, 0, 0, 0, 0], [1, 1, 1, 1, 1])).toEqual({ wins: 5, losses: 0, p: 1 / 32 });
    // 9 wins, 3 losses, 8 ties: P(X ≥ 9 | n = 12) = (220 + 66 + 12 + 1) / 4096
    const a = [...Array(9).fill(0), ...Array(3).fill(1), ...Array(8).fill(0.5)];
    const b = [...Array(9).fill(1), ...Array(3).fill(0), ...Array(8).fill(0.5)];
    expect(signTest(a, b).p).toBeCloseTo(299 / 4096, 12);
    expect(signTest([1, 1], [1, 1]).p).toBe(1);
  });

  it("gives the p-value from counts, the fewest examples that can pass, and how many would decide", () => {
    expect(signTestP(6, 6)).toBeCloseTo(1 / 64, 12);
    expect(signTestP(0, 0)).toBe(1);
    // Two finalists test at 0.025 each: 5 wins of 5 (1/32) cannot pass, 6 of 6 (1/64) can.
    expect(decisiveSize(0.025)).toBe(6);
    expect(decisiveSize(0.05)).toBe(5);
    // 7 wins, 3 losses, 2 ties of 12: the smallest sample at those shares that passes p < 0.05.
    const needed = examplesToDecide({ wins: 7, losses: 3 }, 12, 0.05)!;
    const m = Math.round((needed * 10) / 12);
    expect(signTestP(Math.round(m * 0.7), m)).toBeLessThan(0.05);
    const before = Math.round(((needed - 1) * 10) / 12);
    expect(signTestP(Math.round(before * 0.7), before)).toBeGreaterThanOrEqual(0.05);
    expect(examplesToDecide({ wins: 3, losses: 3 }, 12, 0.05)).toBeNull();
    expect(examplesToDecide({ wins: 2, losses: 3 }, 12, 0.05)).toBeNull();
  });

  it("ships by chance at most at its level, at every held-out size: where nothing helps, the false-ship rate is ≤ 5%", () => {
    // Exactly, not by simulation: under the null each untied example is a fair coin, so the chance
    // of shipping is the Binomial(n, ½) mass of the win counts that pass, at every n.
    for (const alpha of [0.05, 0.025])
      for (let n = 1; n <= 200; n++) {
        let shipChance = 0;
        for (let w = 0; w <= n; w++)
          if (signTestP(w, n) < alpha) shipChance += Math.exp(logChoose(n, w) - n * Math.LN2);
        expect(shipChance, `n = ${n}, alpha = ${alpha}`).toBeLessThanOrEqual(alpha);
      }
  });

  it("never reports a point interval for 12 wins of 12, and stays inside the bounds", () => {
    const interval = boundedMeanInterval(Array(12).fill(1), -1, 1);
    expect(interval.mean).toBe(1);
    expect(interval.high).toBe(1);
    expect(interval.low).toBeGreaterThan(0.4);
    expect(interval.low).toBeLessThan(0.6);
    const mixed = boundedMeanInterval([0, 1, 1, 0, 1], 0, 1);
    expect(mixed.low).toBeGreaterThanOrEqual(0);
    expect(mixed.low).toBeLessThan(0.6);
    expect(mixed.high).toBeGreaterThan(0.6);
  });
});

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}
