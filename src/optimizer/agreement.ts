/**
 * How well the evaluator agrees with the people's scores on the logged outputs, measured before
 * anything is spent on candidates: Spearman's ρ and mean absolute error, and the judge's own
 * noise (the same outputs judged twice). A constant or undefined agreement is reported as such.
 */
import type { Example } from "./dataset.js";
import type { Evaluation, Evaluator } from "./evaluators/index.js";
import { meanAbsoluteError, spearman, standardDeviation, type Correlation } from "./stats.js";

/** Below this rank correlation the evaluator would optimize the wrong thing (anchors §7.3). */
export const MIN_AGREEMENT = 0.3;

export interface Agreement {
  n: number;
  spearman: Correlation;
  mae: number;
  /** Standard deviation of one judgment, from test–retest; 0 for deterministic evaluators. */
  noise: number;
  /** The evaluator's score of each logged output, by example id: the baseline's scores, for free. */
  scores: Map<string, Evaluation>;
  /** A sentence for the report. */
  summary: string;
  tooPoor: boolean;
}

export async function measureAgreement(
  evaluator: Evaluator,
  examples: readonly Example[],
  retestSample: readonly Example[],
): Promise<Agreement> {
  const scores = new Map<string, Evaluation>();
  await Promise.all(examples.map(async (e) => scores.set(e.id, await evaluator.evaluate(e, e.output))));
  const judged = examples.map((e) => scores.get(e.id)!.score);
  const people = examples.map((e) => e.score);
  const rho = spearman(judged, people);
  const mae = meanAbsoluteError(judged, people);
  let noise = 0;
  if (evaluator.usesJudge && retestSample.length > 1) {
    const diffs = await Promise.all(
      retestSample.map(
        async (e) => (await evaluator.evaluate(e, e.output, 1)).score - scores.get(e.id)!.score,
      ),
    );
    noise = standardDeviation(diffs) / Math.SQRT2;
  }
  // A judge whose agreement cannot even be measured is as unfit to optimize against as a poor
  // one (ARCHITECTURE, optimization step 1); a deterministic evaluator measures what it says.
  const tooPoor = rho.value === null ? evaluator.usesJudge : rho.value < MIN_AGREEMENT;
  const noiseNote = evaluator.usesJudge ? `; judge noise σ = ${noise.toFixed(3)}` : "";
  const summary =
    rho.value === null
      ? `Agreement with people's scores is undefined (${rho.reason}); mean absolute error ${mae.toFixed(3)} over ${examples.length} outputs${noiseNote}.`
      : `The evaluator agrees with people's scores at Spearman ρ = ${rho.value.toFixed(2)} (mean absolute error ${mae.toFixed(3)}, n = ${examples.length})${noiseNote}.`;
  return { n: examples.length, spearman: rho, mae, noise, scores, summary, tooPoor };
}
