/**
 * The ship decision (anchors §8.2 step 5): the best validated candidates and the seed run on the
 * held-out test set under identical settings; a candidate ships only when the lower bound of the
 * paired bootstrap interval of its gain over the seed is above zero.
 */
import type { Example } from "./dataset.js";
import type { Evaluation, Evaluator } from "./evaluators/index.js";
import type { LlmGateway } from "./llm/types.js";
import { runStudent, type Candidate, type SearchInput } from "./search.js";
import { bootstrapMean, pairedBootstrap, type Interval } from "./stats.js";

export const TOP_K = 2;

export interface TestResult {
  candidate: Candidate;
  scores: Map<string, Evaluation>;
  /** The student's answer to each test example under this candidate, by example id, for the report. */
  outputs: Map<string, string>;
  mean: Interval;
  /** Candidate minus seed, paired on the same test examples. */
  gain: Interval;
}

export interface GateOutcome {
  seed: { scores: Map<string, Evaluation>; outputs: Map<string, string>; mean: Interval };
  results: TestResult[];
  /** The candidate to ship, or null: no significant improvement. */
  winner: TestResult | null;
}

export async function runGate(
  options: Pick<SearchInput, "gateway" | "evaluator" | "models" | "moduleType"> & {
    seedCandidate: Candidate;
    finalists: readonly Candidate[];
    test: readonly Example[];
    seed: string;
  },
): Promise<GateOutcome> {
  const onTest = async (candidate: Candidate) => {
    const scores = new Map<string, Evaluation>();
    const outputs = new Map<string, string>();
    await Promise.all(
      options.test.map(async (e) => {
        const output = await runStudent(
          options.gateway as LlmGateway,
          options.models.student,
          candidate.template,
          e,
          options.moduleType,
        );
        outputs.set(e.id, output);
        scores.set(e.id, await (options.evaluator as Evaluator).evaluate(e, output));
      }),
    );
    return { scores, outputs };
  };
  const values = (scores: Map<string, Evaluation>) => options.test.map((e) => scores.get(e.id)!.score);
  const { scores: seedScores, outputs: seedOutputs } = await onTest(options.seedCandidate);
  const results: TestResult[] = [];
  for (const candidate of options.finalists.slice(0, TOP_K)) {
    const { scores, outputs } = await onTest(candidate);
    results.push({
      candidate,
      scores,
      outputs,
      mean: bootstrapMean(values(scores), { seed: `${options.seed}/mean/${candidate.id}` }),
      gain: pairedBootstrap(values(seedScores), values(scores), {
        seed: `${options.seed}/gain/${candidate.id}`,
      }),
    });
  }
  const significant = results.filter((r) => r.gain.low > 0).sort((a, b) => b.mean.mean - a.mean.mean);
  return {
    seed: {
      scores: seedScores,
      outputs: seedOutputs,
      mean: bootstrapMean(values(seedScores), { seed: `${options.seed}/mean/seed` }),
    },
    results,
    winner: significant[0] ?? null,
  };
}
