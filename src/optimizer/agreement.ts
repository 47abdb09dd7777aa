/**
 * How well the evaluator agrees with the people's scores on the logged outputs, measured before
 * anything is spent on candidates: Spearman's ρ and mean absolute error, and the judge's own
 * noise (the same outputs judged twice). A constant or undefined agreement is reported as such.
 */
import type { Example } from "./dataset.js";
import type { Evaluation, Evaluator } from "./evaluators/index.js";
import { meanAbsoluteError, spearman, standardDeviation, type Correlation } from "./stats.js";

/**
 * Below this rank correlation (weak by the usual reading of ρ) the evaluator orders outputs too
 * differently from the people for a higher score to mean a better prompt: the search would
 * optimize the wrong thing.
 */
export const MIN_AGREEMENT = 0.3;

export interface Agreement {
  n: number;
  spearman: Correlation;
  mae: number;
  /** Standard deviation of one judgment, from test–retest; 0 for deterministic evaluators. */
  noise: number;
  /** The evaluator's score of each logged output, by example id: the baseline's scores, for free. */
  scores: Map<string, Evaluation>;
  /** How much the judge's scores and the people's scores vary, over the same outputs. */
  spread: { judge: Spread; people: Spread };
  /**
   * When no agreement is defined: what was measured (both spreads) and the fix that follows from
   * it. A judge that answers one score while people's vary needs a better rubric or model, not
   * more feedback; people's scores that never vary need feedback on good and bad outputs alike.
   */
  undefinedBecause: { measured: string; fix: string } | null;
  /** A sentence for the report. */
  summary: string;
  tooPoor: boolean;
}

/** The range and standard deviation of a list of scores. */
export interface Spread {
  min: number;
  max: number;
  sd: number;
}

function spreadOf(scores: readonly number[]): Spread {
  if (scores.length === 0) return { min: 0, max: 0, sd: 0 };
  return { min: Math.min(...scores), max: Math.max(...scores), sd: standardDeviation([...scores]) };
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
  const spread = { judge: spreadOf(judged), people: spreadOf(people) };
  const undefinedBecause = rho.value === null ? diagnose(examples.length, spread) : null;
  return {
    n: examples.length,
    spearman: rho,
    mae,
    noise,
    scores,
    spread,
    undefinedBecause,
    summary,
    tooPoor,
  };
}

const DETERMINISTIC = "or use a deterministic evaluator (evaluator_config: {type: exact_match})";
const RUBRIC = "write a rubric that says what earns a high and a low score (evaluator_config: {rubric: …})";

function diagnose(n: number, spread: Agreement["spread"]): { measured: string; fix: string } {
  const range = (s: Spread) =>
    s.max === s.min
      ? `all ${s.min.toFixed(2)}`
      : `${s.min.toFixed(2)} to ${s.max.toFixed(2)}, σ = ${s.sd.toFixed(2)}`;
  const measured = `Over ${n} logged outputs, the judge's scores were ${range(spread.judge)}; people's were ${range(spread.people)}.`;
  const judgeFlat = spread.judge.max === spread.judge.min;
  const peopleFlat = spread.people.max === spread.people.min;
  if (n < 3) return { measured, fix: "Too few outputs to compare: log more feedback." };
  if (judgeFlat && !peopleFlat)
    return {
      measured,
      fix: `The judge gives every output the same score, so it cannot tell the ones people rated well from the ones they rated badly: ${RUBRIC}, try a stronger judge_model, ${DETERMINISTIC}.`,
    };
  if (peopleFlat && !judgeFlat)
    return {
      measured,
      fix: `People gave every output the same score, so there is nothing to agree with: add feedback on good and bad outputs alike (scores that vary), ${DETERMINISTIC}.`,
    };
  return {
    measured,
    fix: `Neither varies: add feedback on good and bad outputs alike, and ${RUBRIC}, ${DETERMINISTIC}.`,
  };
}
