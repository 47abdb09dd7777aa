/**
 * The statistics the optimizer decides with: agreement between a judge and people (Spearman's
 * rank correlation, mean absolute error) and paired bootstrap intervals for "is the candidate
 * better than the baseline, beyond noise". Undefined quantities are null with a reason, never NaN.
 */
import { Random } from "../core/random.js";

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

export function standardDeviation(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Ranks with ties given their average rank (1-based). */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const result = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) result[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

export type Correlation = { value: number; reason: null } | { value: null; reason: string };

/**
 * Spearman's ρ: the Pearson correlation of the ranks.
 * @example spearman([1, 2, 3], [1, 3, 2]) // { value: 0.5, reason: null }
 */
export function spearman(a: readonly number[], b: readonly number[]): Correlation {
  if (a.length !== b.length) throw new Error("spearman: samples of different lengths");
  if (a.length < 3) return { value: null, reason: `too few pairs (${a.length}) to correlate` };
  const ra = ranks(a);
  const rb = ranks(b);
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  if (da === 0)
    return { value: null, reason: "the first scores are all equal (constant), so no correlation is defined" };
  if (db === 0)
    return {
      value: null,
      reason: "the second scores are all equal (constant), so no correlation is defined",
    };
  return { value: num / Math.sqrt(da * db), reason: null };
}

export function meanAbsoluteError(a: readonly number[], b: readonly number[]): number {
  return mean(a.map((x, i) => Math.abs(x - b[i]!)));
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

/**
 * Percentile bootstrap interval of the mean of paired differences `b[i] - a[i]`, seeded.
 * @example pairedBootstrap(baseline, candidate, { seed: "job-1" }).low > 0 // the candidate is better beyond noise
 */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: { seed: string; resamples?: number; confidence?: number },
): Interval {
  const diffs = a.map((x, i) => b[i]! - x);
  return bootstrapMean(diffs, options);
}

export function bootstrapMean(
  xs: readonly number[],
  options: { seed: string; resamples?: number; confidence?: number },
): Interval {
  const m = mean(xs);
  if (xs.length === 0) return { mean: 0, low: 0, high: 0 };
  const rng = new Random(`bootstrap/${options.seed}`);
  const resamples = options.resamples ?? 2_000;
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[rng.int(xs.length)]!;
    means.push(sum / xs.length);
  }
  means.sort((x, y) => x - y);
  const alpha = (1 - (options.confidence ?? 0.95)) / 2;
  return {
    mean: m,
    low: means[Math.floor(alpha * resamples)]!,
    high: means[Math.min(resamples - 1, Math.ceil((1 - alpha) * resamples) - 1)]!,
  };
}

/** One-sided upper confidence bound of a mean (normal approximation), for racing. */
export function upperBound(xs: readonly number[], z = 1.2816): number {
  if (xs.length < 2) return Infinity;
  return mean(xs) + (z * standardDeviation(xs)) / Math.sqrt(xs.length);
}
