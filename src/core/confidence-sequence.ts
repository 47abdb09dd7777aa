/**
 * A confidence sequence for the mean of scores in [0, 1]: an interval that holds the true mean
 * at every sample size at once, with probability at least 1 − alpha, so it may be looked at
 * after every entry and acted on at any time (a fixed-sample test re-run after each entry would
 * reject a true null far more often than alpha).
 *
 * The method is the predictable plug-in empirical-Bernstein confidence sequence (PrPl-EB) of
 * I. Waudby-Smith and A. Ramdas, "Estimating means of bounded random variables by betting",
 * J. R. Stat. Soc. B 86(1), 2024 (arXiv:2010.09686), Theorem 2
 * (the "PrPl-EB" sequence, with the paper's suggested λ tuning):
 *
 *   C_t = ( Σ λ_i X_i / Σ λ_i  ±  (log(2/α) + Σ v_i ψ_E(λ_i)) / Σ λ_i ) ∩ [0, 1]
 *   v_i = 4 (X_i − μ̂_{i−1})²,   ψ_E(λ) = (−log(1 − λ) − λ) / 4
 *   λ_i = min( sqrt(2 log(2/α) / (σ̂²_{i−1} · i · log(1 + i))), c ),  c = 1/2
 *   μ̂_i = (1/2 + Σ_{j≤i} X_j) / (i + 1),   σ̂²_i = (1/4 + Σ_{j≤i} (X_j − μ̂_j)²) / (i + 1)
 *
 * It adapts to the variance (a score that is nearly always 1 gets a narrow interval early) and
 * is valid for any bounded scores, binary or graded. The running intersection of the intervals
 * is itself a confidence sequence, so the kept bounds only ever narrow.
 *
 * Everything a new entry needs is a handful of sums, kept in a `MeanTally` that is stored as
 * JSON on the data branch and updated one entry at a time.
 */
import { z } from "zod";

/** The truncation c of λ; 1/2 and 3/4 are the paper's suggestions. */
const LAMBDA_CAP = 0.5;

export const MeanTally = z.object({
  /** Entries folded in. */
  n: z.number().int().nonnegative().default(0),
  /** Σ X_i (for the plain mean shown to people). */
  sum: z.number().default(0),
  /** Σ (X_j − μ̂_j)², the numerator of σ̂² without its prior 1/4. */
  squared_deviations: z.number().nonnegative().default(0),
  /** Σ λ_i, Σ λ_i X_i, Σ v_i ψ_E(λ_i). */
  lambda_sum: z.number().nonnegative().default(0),
  weighted_sum: z.number().nonnegative().default(0),
  penalty: z.number().nonnegative().default(0),
  /** The running intersection of the intervals so far. */
  low: z.number().min(0).max(1).default(0),
  high: z.number().min(0).max(1).default(1),
});
export type MeanTally = z.infer<typeof MeanTally>;

export const emptyTally = (): MeanTally => MeanTally.parse({});

/**
 * The tally with one more score folded in, and its interval at level 1 − alpha.
 * @example let t = emptyTally(); for (const x of scores) t = addScore(t, x, 0.025);
 */
export function addScore(tally: MeanTally, score: number, alpha: number): MeanTally {
  if (!(score >= 0 && score <= 1)) throw new RangeError(`a score must lie in [0, 1], got ${score}`);
  const i = tally.n + 1;
  // μ̂_{i−1} and σ̂²_{i−1}: predictable, computed before X_i is seen.
  const meanBefore = (0.5 + tally.sum) / i;
  const varianceBefore = (0.25 + tally.squared_deviations) / i;
  const logTerm = Math.log(2 / alpha);
  const lambda = Math.min(Math.sqrt((2 * logTerm) / (varianceBefore * i * Math.log(1 + i))), LAMBDA_CAP);
  const v = 4 * (score - meanBefore) ** 2;
  const psi = (-Math.log(1 - lambda) - lambda) / 4;
  const sum = tally.sum + score;
  const meanAfter = (0.5 + sum) / (i + 1);
  const next = {
    n: i,
    sum,
    squared_deviations: tally.squared_deviations + (score - meanAfter) ** 2,
    lambda_sum: tally.lambda_sum + lambda,
    weighted_sum: tally.weighted_sum + lambda * score,
    penalty: tally.penalty + v * psi,
  };
  const center = next.weighted_sum / next.lambda_sum;
  const radius = (logTerm + next.penalty) / next.lambda_sum;
  let low = Math.max(tally.low, center - radius, 0);
  let high = Math.min(tally.high, center + radius, 1);
  // The intersection can only come out empty when the sequence has already missed (probability
  // ≤ alpha); keep a point interval at the estimate rather than an inverted one.
  if (low > high) low = high = Math.min(Math.max(center, 0), 1);
  return { ...next, low, high };
}

/** The plain mean of the scores folded in, or null before any. */
export const tallyMean = (tally: MeanTally): number | null => (tally.n === 0 ? null : tally.sum / tally.n);

export interface Difference {
  /** candidate mean − active mean, or null while an arm is empty. */
  estimate: number | null;
  low: number;
  high: number;
}

/**
 * The difference of two means with an interval valid at every time: each arm's sequence is run
 * at alpha/2 (see `ARM_ALPHA`), and by the union bound both hold together with probability
 * 1 − alpha, so [low_c − high_a, high_c − low_a] holds the true difference at every time.
 * Valid however the entries of the two arms interleave, and whatever the share between them.
 */
export function difference(active: MeanTally, candidate: MeanTally): Difference {
  const a = tallyMean(active);
  const c = tallyMean(candidate);
  return {
    estimate: a === null || c === null ? null : c - a,
    low: candidate.low - active.high,
    high: candidate.high - active.low,
  };
}
