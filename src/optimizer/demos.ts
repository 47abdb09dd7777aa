/**
 * Demonstration sets for the search (DSPy MIPROv2's bootstrapped few-shot examples, from logged
 * feedback instead of traces): drawn only from the train split, only from entries people scored
 * well (their output) or corrected (the reviewer's answer). Validation and test records are never
 * candidates, so no candidate is scored on, or shipped with, a record it is tested on.
 */
import type { Random } from "../core/random.js";
import { MAX_DEMO_CHARS, type Demonstration } from "../render/demos.js";
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

/** A fresh set of up to `size` demonstrations. */
export function drawDemonstrations(
  pool: readonly Demonstration[],
  size: number,
  rng: Random,
): Demonstration[] {
  return rng.sample(pool, Math.min(size, pool.length));
}

/**
 * A neighbour of `current`: one demonstration swapped for another from the pool, or one added
 * while the set is below `size`; a fresh set when `current` is empty. Null when the pool offers
 * nothing new.
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
  const incoming = rng.sample(unused, 1)[0]!;
  if (current.length < size) return [...current, incoming];
  const out = Math.floor(rng.next() * current.length);
  return current.map((d, i) => (i === out ? incoming : d));
}
