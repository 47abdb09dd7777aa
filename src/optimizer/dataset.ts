/**
 * The optimizer's data: logged feedback, streamed from the store, kept when usable (a score and
 * the inputs to run the prompt on), split deterministically from the job's seed into train
 * (reflection), validation (selection) and test (the ship decision), stratified by score.
 */
import { MIN_USABLE } from "../core/min-usable.js";
import type { Random } from "../core/random.js";
import type { FeedbackResult } from "../core/records.js";

export { MIN_USABLE };

/** A logged output this good is a reference answer for the same inputs. */
export const HIGH_SCORE = 0.8;

export interface Example {
  id: string;
  inputs: Record<string, unknown>;
  /** What the active prompt produced, as logged. */
  output: string;
  /** The people's score of that output. */
  score: number;
  /** A reference answer: a reviewer's correction, or a high-scored output for the same inputs. */
  expected: string | null;
}

export interface Split {
  train: Example[];
  val: Example[];
  test: Example[];
}

export interface SplitSizes {
  train: number;
  val: number;
  test: number;
}

/**
 * Train, validation and test sizes for `n` usable records: 30% to choose among candidates and
 * 20% held out for the ship decision, the rest to learn from. Every candidate runs on the whole
 * validation set and the finalists on the test set, so their caps (80 and 60) keep the cost of a
 * run flat on large datasets, where more examples would sharpen the decision little.
 */
export function splitSizes(n: number): SplitSizes {
  const val = Math.min(Math.round(n * 0.3), 80);
  const test = Math.min(Math.round(n * 0.2), 60);
  return { train: n - val - test, val, test };
}

export type LoadedData =
  | { enough: true; examples: Example[]; split: Split; total: number }
  | { enough: false; usable: number; total: number; message: string };

/** Usable for optimizing: people scored it, and it has the inputs to run the prompt on and the output they scored. */
export function isUsable(
  entry: FeedbackResult,
): entry is FeedbackResult & { score: number; inputs: Record<string, unknown>; output: string } {
  return entry.score !== null && entry.inputs !== null && entry.output !== null;
}

export async function loadExamples(
  feedback: AsyncIterable<FeedbackResult>,
  rng: Random,
  minUsable = MIN_USABLE,
): Promise<LoadedData> {
  const seen = new Set<string>();
  const usable: (Example & { metadataExpected: string | null })[] = [];
  let total = 0;
  for await (const entry of feedback) {
    total++;
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    if (!isUsable(entry)) continue;
    const expected = entry.metadata?.expected_output;
    usable.push({
      id: entry.id,
      inputs: entry.inputs,
      output: entry.output,
      score: entry.score,
      expected: null,
      metadataExpected: typeof expected === "string" ? expected : null,
    });
  }
  if (usable.length < minUsable)
    return {
      enough: false,
      usable: usable.length,
      total,
      message: notEnoughData(usable.length, total, minUsable),
    };
  const best = new Map<string, string>();
  for (const e of usable) {
    const key = JSON.stringify(e.inputs);
    if (e.score >= HIGH_SCORE && !best.has(key)) best.set(key, e.output);
  }
  const examples: Example[] = usable.map(({ metadataExpected, ...e }) => ({
    ...e,
    expected: metadataExpected ?? best.get(JSON.stringify(e.inputs)) ?? null,
  }));
  return { enough: true, examples, split: stratifiedSplit(examples, rng.fork("split")), total };
}

/** Usable entries (distinct ids) and all entries of a task's feedback, without keeping them. */
export async function countUsable(
  feedback: AsyncIterable<FeedbackResult>,
): Promise<{ usable: number; total: number }> {
  const seen = new Set<string>();
  let usable = 0;
  let total = 0;
  for await (const entry of feedback) {
    total++;
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    if (isUsable(entry)) usable++;
  }
  return { usable, total };
}

/** Why no search runs, with how many more usable entries would start one: Kaizen's policy, not a test's result. */
export function notEnoughData(usable: number, total: number, minUsable = MIN_USABLE): string {
  return `only ${usable} usable feedback entries (with a score, inputs and an output) out of ${total}; ${minUsable - usable} more are needed before Kaizen can tell a better prompt from noise`;
}

/**
 * Shuffles each score bucket, then orders all records by their position within their bucket
 * (the i-th of a bucket of n sits at (i + ½) / n), so every prefix holds each bucket in its share;
 * deals test, validation and train in that order. A small bucket (say the 20% of well-scored
 * records, the demonstration pool) is spread over the three splits instead of being used up by
 * the first ones, as a round-robin interleave would.
 */
export function stratifiedSplit(examples: readonly Example[], rng: Random): Split {
  const buckets = [0, 1, 2].map((b) =>
    rng.shuffle(examples.filter((e) => Math.min(2, Math.floor(e.score * 3)) === b)),
  );
  const order = buckets
    .flatMap((bucket, b) => bucket.map((e, i) => ({ e, at: (i + 0.5) / bucket.length, b })))
    .sort((x, y) => x.at - y.at || x.b - y.b)
    .map((x) => x.e);
  const sizes = splitSizes(examples.length);
  return {
    test: order.slice(0, sizes.test),
    val: order.slice(sizes.test, sizes.test + sizes.val),
    train: order.slice(sizes.test + sizes.val),
  };
}
