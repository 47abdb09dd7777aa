/**
 * The shape of a run: how many proposals and iterations the search makes, on what minibatches,
 * how many finalists the gate tests, how many judgments are repeated to measure the judge's
 * noise. One set of numbers, read by the estimate, the search, the gate and the agreement
 * measure alike (a RunPlan carries it), so none of them keeps a copy of another's.
 */
import { MAX_DEMOS } from "../core/defaults.js";

export interface Knobs {
  /** The teacher's first proposals, written from the logged failures. */
  initialProposals: number;
  iterations: number;
  /** Cases the teacher sees per proposal, and the child's acceptance sample. */
  minibatch: number;
  /** Chunk sizes of staged validation; the last chunk is the rest of the set. */
  stages: readonly number[];
  /** Demonstrations a candidate may carry; 0 searches instructions only. */
  demos: number;
  /** Finalists the gate tests on held-out data beside the seed. */
  topK: number;
  /** Logged outputs judged twice to measure the judge's noise. */
  rejudgeSample: number;
  /** The worst logged train records the seed runs on before the teacher's first proposals. */
  firstFailures: number;
  /** Train records whose logged outputs are judged for the teacher's first proposals. */
  critiquedTrain: number;
  /** Reference cases shown to the teacher beside each proposal's failures. */
  goodCases: number;
  /** Whether the evaluator calls a judge model: without one, no judge call is made or planned. */
  usesJudge: boolean;
  /** A priori share of children accepted on their minibatch (the estimate's only guesses, with racingFraction). */
  acceptRate: number;
  /** A priori share of the validation set an accepted child runs on before it is stopped or validated. */
  racingFraction: number;
}

export const DEFAULT_KNOBS: Knobs = {
  initialProposals: 3,
  iterations: 12,
  // 10 found more of the kinds of case a prompt misses than 6 did, in every bench world (GEPA's
  // own range is 3 to 35).
  minibatch: 10,
  stages: [20, 40],
  demos: MAX_DEMOS,
  topK: 2,
  rejudgeSample: 10,
  firstFailures: 8,
  critiquedTrain: 8,
  goodCases: 3,
  usesJudge: true,
  acceptRate: 0.3,
  racingFraction: 0.6,
};

/** A run that cannot afford this many iterations is not worth starting. */
export const MIN_ITERATIONS = 3;

/** Every DEMO_EVERY-th iteration swaps the parent's demonstrations instead of asking the teacher. */
export const DEMO_EVERY = 3;
/**
 * After this many demonstration children in a row fail validation, with none ever validated,
 * the search stops trying demonstrations and gives those iterations to the teacher: where
 * examples do not help, each try costs an iteration the instruction could have used.
 */
export const DEMO_TRIES_WITHOUT_GAIN = 2;
