/**
 * How the winner came to be, step by step from the active prompt: what each accepted step
 * changed (the instruction, or the quoted examples) and what it did to the validation score.
 * Data for the report, which tells it in words; no ids a reviewer would have to look up.
 */
import type { Example } from "./dataset.js";
import type { Candidate } from "./search.js";

export interface LineageStep {
  /** "instruction": the teacher rewrote it; "examples": the quoted examples changed. */
  change: "instruction" | "examples";
  /** The teacher's reason for an instruction step; null for an examples step. */
  rationale: string | null;
  /** Quoted examples before and after the step, and how many came in and went out. */
  examples: { before: number; after: number; added: number; removed: number };
  /** Validation mean of the parent and of the step, on the validation examples both ran on. */
  validation: { before: number; after: number; examples: number } | null;
}

/** The chain from the seed (excluded) to `winner`, oldest first. */
export function lineageOf(
  candidates: readonly Candidate[],
  winner: Candidate,
  val: readonly Example[],
): LineageStep[] {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const steps: LineageStep[] = [];
  for (let c: Candidate | undefined = winner; c && c.parent !== null; c = byId.get(c.parent)) {
    const parent = byId.get(c.parent);
    if (!parent) break;
    const ids = (x: Candidate) => new Set((x.demos ?? []).map((d) => d.id));
    const [before, after] = [ids(parent), ids(c)];
    const instructionOf = (x: Candidate) => x.instruction ?? x.template;
    const both = val.filter((e) => c.scores.has(e.id) && parent.scores.has(e.id));
    const meanOf = (x: Candidate) =>
      both.reduce((s, e) => s + x.scores.get(e.id)!.score, 0) / Math.max(1, both.length);
    steps.unshift({
      change: instructionOf(c) !== instructionOf(parent) ? "instruction" : "examples",
      rationale: instructionOf(c) !== instructionOf(parent) ? c.rationale || null : null,
      examples: {
        before: before.size,
        after: after.size,
        added: [...after].filter((id) => !before.has(id)).length,
        removed: [...before].filter((id) => !after.has(id)).length,
      },
      validation:
        both.length > 0 ? { before: meanOf(parent), after: meanOf(c), examples: both.length } : null,
    });
  }
  return steps;
}
