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

/**
 * One-sided exact sign test of "b beats a" on paired scores: ties are dropped, and the p-value is
 * P(X ≥ wins) for X ~ Binomial(wins + losses, 1/2). Valid at any sample size, with no assumption
 * on the scores' distribution: what a small sample lacks is power, not validity.
 * @example signTest([0, 0, 0, 0, 0], [1, 1, 1, 1, 1]).p // 0.03125
 */
export function signTest(
  a: readonly number[],
  b: readonly number[],
): { wins: number; losses: number; p: number } {
  let wins = 0;
  let losses = 0;
  for (let i = 0; i < a.length; i++) {
    if (b[i]! > a[i]!) wins++;
    else if (b[i]! < a[i]!) losses++;
  }
  return { wins, losses, p: signTestP(wins, wins + losses) };
}

/**
 * P(X ≥ wins) for X ~ Binomial(n, 1/2): the sign test's p-value from its counts; 1 when n is 0.
 * @example signTestP(6, 6) // 0.015625 (1/64)
 */
export function signTestP(wins: number, n: number): number {
  if (n === 0) return 1;
  let p = 0;
  // Sum of C(n, k) / 2^n for k ≥ wins, in logs so large n cannot overflow.
  const logChoose = (k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  for (let k = Math.max(0, wins); k <= n; k++) p += Math.exp(logChoose(k) - n * Math.LN2);
  return Math.min(1, p);
}

/**
 * The fewest paired examples at which winning every one passes the sign test at `alpha`: below
 * it no candidate can ship, however good. `decisiveSize(0.025)` is 6.
 */
export function decisiveSize(alpha: number): number {
  return Math.ceil(Math.log2(1 / alpha) + 1e-9);
}

/**
 * How many paired examples would make the sign test decide for b, at the win, loss and tie
 * shares observed on `examples`; null when b does not win more than it loses (no sample size
 * turns that into a yes).
 * @example examplesToDecide({ wins: 7, losses: 3 }, 12, 0.05) // 21
 */
export function examplesToDecide(
  sign: { wins: number; losses: number },
  examples: number,
  alpha: number,
): number | null {
  const decided = sign.wins + sign.losses;
  if (sign.wins <= sign.losses || examples === 0) return null;
  for (let n = Math.max(1, examples); n <= 100_000; n++) {
    const m = Math.round((n * decided) / examples);
    if (signTestP(Math.round((m * sign.wins) / decided), m) < alpha) return n;
  }
  return null;
}

const LOG_FACTORIALS = [0, 0];
function logFactorial(n: number): number {
  for (let i = LOG_FACTORIALS.length; i <= n; i++) LOG_FACTORIALS.push(LOG_FACTORIALS[i - 1]! + Math.log(i));
  return LOG_FACTORIALS[n]!;
}

/**
 * A 95% interval for the mean of values bounded in [lo, hi], valid for a few dozen values: the
 * Wilson score interval on the mean rescaled to [0, 1], whose variance is at most m(1 − m) for
 * bounded values. Unlike a percentile bootstrap it never collapses to a point when every value is
 * the same (12 wins of 12 is not certainty).
 * @example boundedMeanInterval([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0, 1).low // ≈ 0.76
 */
export function boundedMeanInterval(xs: readonly number[], lo: number, hi: number, z = 1.96): Interval {
  const m = mean(xs);
  if (xs.length === 0) return { mean: 0, low: lo, high: hi };
  const n = xs.length;
  const p = (m - lo) / (hi - lo);
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = (x: number) => lo + Math.min(1, Math.max(0, x)) * (hi - lo);
  return { mean: m, low: Math.min(m, scale(centre - half)), high: Math.max(m, scale(centre + half)) };
}

/**
 * Two means of `n` judgments each are tied when they differ by no more than the noise of their
 * difference: σ·√(2/n). A deterministic evaluator (σ = 0) ties only equal means.
 */
export const tieTolerance = (noise: number, n: number) => noise * Math.sqrt(2 / Math.max(1, n));
