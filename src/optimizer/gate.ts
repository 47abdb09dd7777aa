/**
 * The ship decision, the search's last step: the best validated candidates and the seed run on the
 * held-out test set under identical settings; a candidate ships when an exact one-sided sign test
 * of its paired wins over the seed gives p < 0.05 (for two finalists, 0.025 each: Bonferroni) and
 * its mean gain is positive. The sign test is exact at any size, so a small held-out set needs no
 * floor of its own (a floor made every first job, at the default threshold of 50, unable to ship):
 * it only needs a large gain to pass, and the report warns that the sample is small. Intervals are
 * Wilson intervals for bounded scores, valid at a few dozen examples. Among the candidates that
 * pass and are tied with the best within noise, the shortest prompt ships.
 */
import type { Example } from "./dataset.js";
import type { Evaluation } from "./evaluators/index.js";
import { promptTokens, runStudent, type Candidate, type SearchInput } from "./search.js";
import { boundedMeanInterval, signTest, tieTolerance, type Interval } from "./stats.js";

/** The family-wise significance level of the ship decision. */
export const ALPHA = 0.05;

/** The sign test's level for each of `finalists` candidates tested at once (Bonferroni). */
export const shipLevel = (finalists: number): number => ALPHA / Math.max(1, finalists);

export interface TestResult {
  candidate: Candidate;
  scores: Map<string, Evaluation>;
  /** The student's answer to each test example under this candidate, by example id, for the report. */
  outputs: Map<string, string>;
  mean: Interval;
  /** Candidate minus seed, paired on the same test examples. */
  gain: Interval;
  /** Exact one-sided sign test of the candidate's paired wins over the seed. */
  sign?: { wins: number; losses: number; p: number };
}

export interface GateOutcome {
  seed: { scores: Map<string, Evaluation>; outputs: Map<string, string>; mean: Interval };
  results: TestResult[];
  /** The candidate to ship, or null: no significant improvement. */
  winner: TestResult | null;
  /** The winner is not the best held-out mean but the shortest of those tied with it within noise. */
  shorterOfTied?: boolean;
}

/** The student's answers under `template` on the test examples, each scored by the evaluator. */
export async function runOnTest(
  options: Pick<SearchInput, "gateway" | "evaluator" | "models" | "moduleType"> & {
    test: readonly Example[];
  },
  template: string,
): Promise<{ scores: Map<string, Evaluation>; outputs: Map<string, string> }> {
  const scores = new Map<string, Evaluation>();
  const outputs = new Map<string, string>();
  await Promise.all(
    options.test.map(async (e) => {
      const output = await runStudent(
        options.gateway,
        options.models.student,
        template,
        e,
        options.moduleType,
      );
      outputs.set(e.id, output);
      scores.set(e.id, await options.evaluator.evaluate(e, output));
    }),
  );
  return { scores, outputs };
}

export async function runGate(
  options: Pick<SearchInput, "gateway" | "evaluator" | "models" | "moduleType"> & {
    seedCandidate: Candidate;
    /** Tested in this order, up to `topK` (the plan's knobs.topK). */
    finalists: readonly Candidate[];
    topK: number;
    /** Standard deviation of one judgment (0 for a deterministic evaluator): what counts as a tie. */
    noise?: number;
    test: readonly Example[];
    seed: string;
  },
): Promise<GateOutcome> {
  const onTest = (candidate: Candidate) => runOnTest(options, candidate.template);
  const values = (scores: Map<string, Evaluation>) => options.test.map((e) => scores.get(e.id)!.score);
  const { scores: seedScores, outputs: seedOutputs } = await onTest(options.seedCandidate);
  const results: TestResult[] = [];
  for (const candidate of options.finalists.slice(0, options.topK)) {
    const { scores, outputs } = await onTest(candidate);
    results.push({
      candidate,
      scores,
      outputs,
      mean: boundedMeanInterval(values(scores), 0, 1),
      gain: boundedMeanInterval(
        values(scores).map((x, i) => x - values(seedScores)[i]!),
        -1,
        1,
      ),
      sign: signTest(values(seedScores), values(scores)),
    });
  }
  const alpha = shipLevel(results.length);
  const significant = results
    .filter((r) => r.sign!.p < alpha && r.gain.mean > 0)
    .sort((a, b) => b.mean.mean - a.mean.mean);
  // Production pays for every token of the prompt on every call: among the candidates that beat
  // the seed and are tied with the best within the evaluator's noise, the shortest ships.
  const best = significant[0];
  const tied = significant.filter(
    (r) => best!.mean.mean - r.mean.mean <= tieTolerance(options.noise ?? 0, options.test.length),
  );
  const winner = tied.sort((a, b) => promptTokens(a.candidate) - promptTokens(b.candidate))[0] ?? null;
  return {
    seed: {
      scores: seedScores,
      outputs: seedOutputs,
      mean: boundedMeanInterval(values(seedScores), 0, 1),
    },
    results,
    winner,
    shorterOfTied: winner !== null && winner !== best,
  };
}
