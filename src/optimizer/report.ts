/**
 * The report a reviewer reads: the same markdown in the pull request, the job summary and the
 * CLI. Numbers carry units; tables for comparisons; the prompt's diff; the examples that moved most.
 */
import type { Agreement } from "./agreement.js";
import type { BudgetSnapshot } from "./budget.js";
import type { Example } from "./dataset.js";
import { unifiedDiff } from "./diff.js";
import type { Estimate } from "./estimate.js";
import type { GateOutcome } from "./gate.js";
import type { SearchOutcome } from "./search.js";
import type { Interval } from "./stats.js";

export interface ReportInput {
  task: string;
  seedTemplate: string;
  agreement: Agreement;
  search: SearchOutcome | null;
  gate: GateOutcome | null;
  estimate: Estimate;
  spent: BudgetSnapshot;
  calls: { made: number; cached: number };
  durationSeconds: number;
  test: readonly Example[];
  sizes: { train: number; val: number; test: number };
  verdict: string;
  /** What scored the outputs, e.g. `exact_match`. */
  evaluator?: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const interval = (i: Interval) => `${pct(i.mean)} [${pct(i.low)}, ${pct(i.high)}]`;
const signed = (i: Interval) =>
  `${i.mean >= 0 ? "+" : ""}${(i.mean * 100).toFixed(1)} pts [${(i.low * 100).toFixed(1)}, ${(i.high * 100).toFixed(1)}]`;

export function renderReport(r: ReportInput): string {
  const lines: string[] = [`## Kaizen: ${r.task}`, "", `**${r.verdict}**`, ""];
  if (r.gate) {
    lines.push(
      "### Held-out test set",
      "",
      `${r.test.length} examples no candidate saw during the search, scored by the same evaluator. Intervals are 95% Wilson intervals for bounded scores; a candidate ships only when an exact sign test of its paired wins gives p < 0.05 on at least 20 examples.`,
      "",
    );
    lines.push(
      "| prompt | score | gain over the active prompt |",
      "| --- | ---: | ---: |",
      `| active prompt | ${interval(r.gate.seed.mean)} | |`,
    );
    for (const result of r.gate.results)
      lines.push(
        `| candidate #${result.candidate.id}${result === r.gate.winner ? " (shipped)" : ""} | ${interval(result.mean)} | ${signed(result.gain)} |`,
      );
    lines.push("");
  }
  lines.push(
    "### The evaluator",
    "",
    ...(r.evaluator ? [`Scored by ${r.evaluator}.`, ""] : []),
    r.agreement.summary,
    "",
  );
  lines.push("### Cost", "", "| | estimated | spent |", "| --- | ---: | ---: |");
  for (const line of r.estimate.lines) {
    lines.push(
      `| ${line.role} \`${line.model}\` | $${line.usd.toFixed(4)} (${line.calls} calls) | $${r.spent.byRole[line.role].usd.toFixed(4)} (${r.spent.byRole[line.role].calls} calls) |`,
    );
  }
  lines.push(`| **total** | **$${r.estimate.usd.toFixed(4)}** | **$${r.spent.spentUsd.toFixed(4)}** |`, "");
  lines.push(
    `${r.calls.made} model calls made, ${r.calls.cached} answered from the cache; ${r.durationSeconds.toFixed(1)} s; data: ${r.sizes.train} train, ${r.sizes.val} validation, ${r.sizes.test} test examples.`,
    "",
  );
  if (r.search) {
    const count = (status: string) => r.search!.candidates.filter((c) => c.status === status).length;
    lines.push(
      "### Search",
      "",
      `${r.search.candidates.length - 1} proposals: ${count("validated")} validated, ${count("stopped")} stopped early on validation, ${count("rejected")} rejected (${r.search.stoppedBy === "budget" ? "stopped at the budget" : r.search.stoppedBy === "patience" ? "stopped: no new best for several iterations" : "all planned iterations ran"}).`,
      "",
    );
    const winner = r.gate?.winner?.candidate;
    if (winner) {
      const chain: string[] = [];
      for (
        let c: typeof winner | undefined = winner;
        c && c.id !== 0;
        c = r.search.candidates.find((x) => x.id === c!.parent)
      )
        chain.unshift(`- #${c.id}: ${c.rationale || "(no rationale given)"}`);
      lines.push("Changes that led to the shipped prompt:", "", ...chain, "");
    }
  }
  if (r.gate?.winner) {
    const winner = r.gate.winner;
    lines.push(
      "### The prompt's diff",
      "",
      "```diff",
      unifiedDiff(r.seedTemplate, winner.candidate.template),
      "```",
      "",
    );
    const moves = r.test
      .map((e) => ({ e, delta: winner.scores.get(e.id)!.score - r.gate!.seed.scores.get(e.id)!.score }))
      .sort((a, b) => b.delta - a.delta);
    const row = ({ e, delta }: { e: Example; delta: number }) =>
      `| \`${JSON.stringify(e.inputs).slice(0, 80).replace(/\|/g, "\\|")}\` | ${delta >= 0 ? "+" : ""}${(delta * 100).toFixed(0)} pts |`;
    const improved = moves.filter((m) => m.delta > 0).slice(0, 3);
    const regressed = moves
      .filter((m) => m.delta < 0)
      .slice(-3)
      .reverse();
    lines.push(
      "### Examples that moved most",
      "",
      "| inputs | change |",
      "| --- | ---: |",
      ...improved.map(row),
      ...regressed.map(row),
    );
    if (improved.length + regressed.length === 0) lines.push("| (no example changed score) | |");
    lines.push("");
  }
  return lines.join("\n");
}
