/**
 * The search's knobs, in a module of their own: the estimate plans with the same numbers the
 * search runs with, and importing them from search.ts would close an import cycle
 * (search → dataset → estimate → search) that a top-level read cannot cross.
 */
import { MAX_DEMOS } from "../render/demos.js";

export interface SearchLimits {
  initialProposals: number;
  iterations: number;
  minibatch: number;
  /** Chunk sizes of staged validation; the last chunk is the rest of the set. */
  stages: readonly number[];
  /** Demonstrations a candidate may carry; 0 searches instructions only. Default MAX_DEMOS. */
  demos?: number;
}

export const DEFAULT_LIMITS: SearchLimits = {
  initialProposals: 3,
  iterations: 12,
  // Cases the teacher sees per proposal and the child's acceptance sample: 10 found more of the
  // kinds of case a prompt misses than 6 did, in every bench world (GEPA's own range is 3 to 35).
  minibatch: 10,
  stages: [20, 40],
  demos: MAX_DEMOS,
};

/** Every DEMO_EVERY-th iteration swaps the parent's demonstrations instead of asking the teacher. */
export const DEMO_EVERY = 3;
/**
 * After this many demonstration children in a row fail validation, with none ever validated,
 * the search stops trying demonstrations and gives those iterations to the teacher: where
 * examples do not help, each try costs an iteration the instruction could have used.
 */
export const DEMO_TRIES_WITHOUT_GAIN = 2;

/** Reference cases shown to the teacher beside each proposal's failures. */
export const GOOD_CASES = 3;
