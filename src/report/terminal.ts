/**
 * A run's outcome as a person reads it in a terminal (`kaizen optimize`): the verdict, the
 * figures it rests on in a few aligned lines, how the search got there, and where the whole
 * report is. Plain text: the Markdown report (HTML diff, tables, folded sections) is for GitHub
 * and for the file `--report` writes.
 */
import { quotedExampleCount, withoutDemonstrations } from "../render/demos.js";
import { moreDataLine, type ReportInput, verdictLine } from "./index.js";
import { pct, points } from "./markdown.js";

export type Paint = (colour: "red" | "green" | "yellow" | "dim" | "bold", text: string) => string;

export function renderTerminal(r: ReportInput, paint: Paint = (_, text) => text): string {
  const out = [headline(verdictLine(r), paint)];
  const more = moreDataLine(r);
  if (more) out.push(more);
  const rows: [string, string][] = [];
  const gate = r.gate;
  const shown = gate ? (gate.winner ?? [...gate.results].sort((a, b) => b.gain.mean - a.gain.mean)[0]) : null;
  if (gate && shown) {
    rows.push([
      "held-out score",
      `${pct(gate.seed.mean.mean)} active → ${pct(shown.mean.mean)} ${r.kind === "eval" ? "your edit" : gate.winner ? "candidate" : "best candidate"} (${points(shown.gain.mean)} points, ${r.test.length} examples)`,
    ]);
    const moved = r.test.map(
      (e) => (shown.scores.get(e.id)?.score ?? 0) - (gate.seed.scores.get(e.id)?.score ?? 0),
    );
    const up = moved.filter((d) => d > 0).length;
    const down = moved.filter((d) => d < 0).length;
    rows.push(["examples", `${up} improved, ${down} regressed, ${moved.length - up - down} unchanged`]);
  }
  if (shown && (gate?.winner || r.kind === "eval")) {
    const change = changeInWords(r.seedTemplate, shown.candidate.template);
    if (change) rows.push(["change", change]);
  }
  const p = r.production;
  if (gate?.winner && p) {
    const usd = (x: number | null) => (x === null ? "no price" : `$${x.toFixed(4)}`);
    rows.push([
      "per call",
      `${Math.round(p.before.inputTokens)} → ${Math.round(p.after.inputTokens)} input tokens, ${usd(p.before.usdPer1000)} → ${usd(p.after.usdPer1000)} per 1,000 calls (${p.model})`,
    ]);
  }
  if (r.spent && r.estimate) {
    const counted = (r.calls.usageCounted ?? 0) > 0 ? ", usage counted by Kaizen" : "";
    rows.push([
      "run cost",
      `$${r.spent.spentUsd.toFixed(4)} of $${r.estimate.usd.toFixed(4)} estimated (${r.calls.made} model calls, ${r.calls.cached} cached${counted}; ${r.durationSeconds.toFixed(0)} s)`,
    ]);
  }
  if (rows.length > 0) {
    const width = Math.max(...rows.map(([k]) => k.length));
    out.push("", ...rows.map(([k, v]) => `  ${paint("dim", k.padEnd(width))}  ${v}`));
  }
  const steps = r.lineage ?? [];
  if (gate?.winner && steps.length > 0) {
    out.push("", "How the search got there:");
    steps.forEach((step, i) => {
      const what =
        step.change === "instruction"
          ? `rewrote the instruction${step.rationale ? `: ${oneLine(step.rationale)}` : ""}`
          : `examples: ${step.examples.before} → ${step.examples.after} quoted (${step.examples.added} in, ${step.examples.removed} out)`;
      const score = step.validation
        ? ` [validation ${pct(step.validation.before)} → ${pct(step.validation.after)}]`
        : "";
      out.push(`  ${i + 1}. ${what}${score}`);
    });
  }
  return out.join("\n");
}

/** The Markdown verdict as a terminal line: no bold markers, the sign painted. */
function headline(markdown: string, paint: Paint): string {
  const text = markdown.replace(/\*\*/g, "");
  const [sign, colour] = text.startsWith("✅")
    ? (["✔", "green"] as const)
    : text.startsWith("➖")
      ? (["–", "yellow"] as const)
      : (["✘", "red"] as const);
  return `${paint(colour, sign)} ${paint("bold", text.replace(/^(✅|❌|➖)\s*/u, ""))}`;
}

/** "instruction rewritten, 16 examples quoted (0 before)"; null when nothing differs. */
function changeInWords(before: string, after: string): string | null {
  const parts: string[] = [];
  if (withoutDemonstrations(before).trim() !== withoutDemonstrations(after).trim())
    parts.push("instruction rewritten");
  const [b, a] = [quotedExampleCount(before), quotedExampleCount(after)];
  if (a !== b) parts.push(`${a} examples quoted (${b} before)`);
  return parts.length > 0 ? parts.join(", ") : null;
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 160 ? `${flat.slice(0, flat.lastIndexOf(" ", 159))}…` : flat;
};
