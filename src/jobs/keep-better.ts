/**
 * A run never replaces the candidate waiting for review on `kaizen/<task>` with a worse one:
 * both were scored on this run's held-out examples (the pipeline scores the open one beside the
 * winner), and the lower one is not shipped. Either way the run says which it kept.
 */
import type { OptimizeResult } from "./optimize.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The result to ship: unchanged, or without its candidate when the open one scores as well or better. */
export function keepBetterCandidate(task: string, result: OptimizeResult): OptimizeResult {
  const open = result.openCandidate;
  if (!result.candidate || !open) return result;
  const branch = `kaizen/${task}`;
  const scores = `${pct(open.score)} for version ${open.version} against ${pct(result.candidate.score)} for this run's candidate, on this run's held-out data`;
  // A tie keeps the open one: a reviewer's time is already spent on it.
  if (open.score >= result.candidate.score) {
    const step = `Kept version ${open.version} on ${branch}: ${scores}`;
    return {
      ...result,
      verdict: "no-improvement",
      step,
      candidate: null,
      report: `${result.report}\n\n> **${step}.** This run's candidate is better than the active prompt, but not better than the candidate already waiting for review, so ${branch} is left as it was.\n`,
      metadata: { ...result.metadata, kept_open_candidate: open },
    };
  }
  const note = `This candidate replaces version ${open.version} on ${branch}: ${scores}.`;
  return {
    ...result,
    report: `${result.report}\n\n> ${note}\n`,
    notes: [...(result.notes ?? []), note],
    metadata: { ...result.metadata, replaced_open_candidate: open },
  };
}
