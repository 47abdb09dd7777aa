/**
 * Demonstration sets for the search (DSPy MIPROv2's bootstrapped few-shot examples, from logged
 * feedback instead of traces): drawn only from the train split, only from entries people scored
 * well (their output) or corrected (the reviewer's answer). Validation and test records are never
 * candidates, so no candidate is scored on, or shipped with, a record it is tested on.
 */
import type { Random } from "../core/random.js";
import { MAX_DEMO_CHARS, MAX_DEMO_SECTION_CHARS, type Demonstration } from "../render/demos.js";
import { HIGH_SCORE, type Example } from "./dataset.js";

/** Train entries usable as demonstrations, one per distinct input, best scored first. */
export function demonstrationPool(train: readonly Example[]): Demonstration[] {
  const seen = new Set<string>();
  const pool: Demonstration[] = [];
  const ranked = [...train].sort((a, b) => b.score - a.score);
  for (const e of ranked) {
    const output = e.expected ?? (e.score >= HIGH_SCORE ? e.output : null);
    if (output === null || output.trim() === "") continue;
    const key = JSON.stringify(e.inputs);
    if (seen.has(key) || key.length + output.length > MAX_DEMO_CHARS) continue;
    seen.add(key);
    pool.push({ id: e.id, inputs: e.inputs, output });
  }
  return pool;
}

/** What a demonstration costs in the section's budget: its inputs and output. */
const charsOf = (d: Demonstration) => JSON.stringify(d.inputs).length + d.output.length;
const answerOf = (d: Demonstration) => d.output.trim().toLowerCase();
const fits = (set: readonly Demonstration[], extra = 0) =>
  set.reduce((sum, d) => sum + charsOf(d), 0) + extra <= MAX_DEMO_SECTION_CHARS;

/**
 * A fresh set of up to `size` demonstrations within MAX_DEMO_SECTION_CHARS, covering as many
 * distinct answers as it can: one record of each answer (in random order) before a second of
 * any, so a classification task shows each of its labels (random draws of a few records leave
 * most labels unseen), and a free-text task gets a random sample.
 */
export function drawDemonstrations(
  pool: readonly Demonstration[],
  size: number,
  rng: Random,
): Demonstration[] {
  const byAnswer = new Map<string, Demonstration[]>();
  for (const d of rng.shuffle(pool)) byAnswer.set(answerOf(d), [...(byAnswer.get(answerOf(d)) ?? []), d]);
  const groups = [...byAnswer.values()];
  const set: Demonstration[] = [];
  for (let round = 0; set.length < size && groups.some((g) => g.length > round); round++)
    for (const group of groups) {
      const d = group[round];
      if (d && set.length < size && fits(set, charsOf(d))) set.push(d);
    }
  return set;
}

/**
 * A neighbour of `current`: one demonstration swapped for another from the pool, or one added
 * while the set is below `size` and the section has room; a fresh set when `current` is empty.
 * The incoming record shows an answer the set lacks when the pool has one, and the outgoing one
 * repeats an answer when the set has such; the section stays within MAX_DEMO_SECTION_CHARS.
 * Null when the pool offers nothing new.
 */
export function mutateDemonstrations(
  current: readonly Demonstration[],
  pool: readonly Demonstration[],
  size: number,
  rng: Random,
): Demonstration[] | null {
  if (current.length === 0) return pool.length > 0 ? drawDemonstrations(pool, size, rng) : null;
  const unused = pool.filter((d) => !current.some((c) => c.id === d.id));
  if (unused.length === 0) return null;
  const shown = new Set(current.map(answerOf));
  const fresh = unused.filter((d) => !shown.has(answerOf(d)));
  const incoming = rng.sample(fresh.length > 0 ? fresh : unused, 1)[0]!;
  if (current.length < size && fits(current, charsOf(incoming))) return [...current, incoming];
  const repeated = current.filter((d) => current.filter((c) => answerOf(c) === answerOf(d)).length > 1);
  const outgoing = rng.sample(repeated.length > 0 ? repeated : current, 1)[0]!;
  const next = current.map((d) => (d === outgoing ? incoming : d));
  return fits(next) ? next : null;
}
