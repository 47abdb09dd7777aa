/**
 * The report a reviewer decides on, in one renderer for the pull request body, the job summary,
 * `kaizen optimize`, `kaizen eval` and the "Kaizen: prompt evaluation" check run. It reads top
 * down the way a reviewer decides: the verdict in one line; why not, when nothing ships; the
 * change (word by word, then the whole prompt); the scores; the examples that moved, with what
 * each prompt answered; the evaluator; the cost; and what merging, closing and rolling back do.
 */
import type { PromptVersion } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import type { Agreement } from "../optimizer/agreement.js";
import { splitSizes } from "../optimizer/dataset.js";
import { shipLevel, type GateOutcome, type TestResult } from "../optimizer/gate.js";
import type { RunEvidence } from "../optimizer/outcome.js";
import { examplesToDecide, type Interval } from "../optimizer/stats.js";
import { scoreChartOrTable, versionPoints, type ScorePoint } from "./chart.js";
import { unifiedDiff, wordDiffHtml } from "./diff.js";
import { fitBody } from "../github/limits.js";
import type { LineageStep } from "../optimizer/lineage.js";
import { quotedExampleCount, withoutDemonstrations, type Demonstration } from "../render/demos.js";
import { cell, details, fence, pct, points } from "./markdown.js";

export { CHECK_RUN_TEXT_LIMIT, ISSUE_BODY_LIMIT } from "./markdown.js";
export { scoreChart, scoreChartOrTable, versionPoints } from "./chart.js";
export { unifiedDiff, wordDiffHtml } from "./diff.js";

/** Below this many held-out examples the first line carries a warning: one example moves the mean a lot. */
export const SMALL_SAMPLE = 30;
/** Examples shown for each direction (improved, regressed). */
const EXAMPLES_SHOWN = 3;

export interface ReportInput extends RunEvidence {
  /** "optimize": a job's candidates; "eval": a person's edit of the prompt against the active one. */
  kind: "optimize" | "eval";
  /** The task's prompt versions before this job, for the score chart. */
  history: readonly PromptVersion[];
  footer: ReportFooter;
}

export interface ReportFooter {
  jobId: string | null;
  /** The CI run that produced the report, when there is one. */
  runUrl?: string | null;
}

type Decision =
  | { kind: "ship"; result: TestResult }
  | { kind: "noise"; best: TestResult }
  | { kind: "no-survivor" }
  | { kind: "untrusted"; rho: number | null; because: { measured: string; fix: string } | null }
  | { kind: "not-enough-data"; usable: number; needed: number; total: number };

function decide(r: ReportInput): Decision {
  if (r.notEnoughData) return { kind: "not-enough-data", ...r.notEnoughData };
  if (r.gate?.winner) return { kind: "ship", result: r.gate.winner };
  const best = [...(r.gate?.results ?? [])].sort((a, b) => b.gain.mean - a.gain.mean)[0];
  if (best) return { kind: "noise", best };
  if (r.agreement?.tooPoor)
    return { kind: "untrusted", rho: r.agreement.spearman.value, because: r.agreement.undefinedBecause };
  return { kind: "no-survivor" };
}

export function renderReport(r: ReportInput): string {
  const decision = decide(r);
  const subject = r.kind === "eval" ? "your edit" : "the candidate";
  const lines: string[] = [
    `## Kaizen: ${r.kind === "eval" ? `your edit of ${r.task}` : r.task}`,
    "",
    verdict(r, decision),
    "",
  ];
  if (r.note) lines.push(`> ${r.note}`, "");
  const warning = sampleWarning(r, decision);
  if (warning) lines.push(warning, "");
  if (decision.kind !== "ship") lines.push(...whyNot(r, decision), "");

  const shown = decision.kind === "ship" ? decision.result : decision.kind === "noise" ? decision.best : null;
  const showChange = shown !== null && (decision.kind === "ship" || r.kind === "eval");
  // Decided first (verdict, scores, the examples that moved), then what changed, then the
  // figures behind it; the long texts (the prompt, the patch) last and folded.
  if (r.gate) lines.push(...scores(r, r.gate, subject), "");
  if (shown && r.gate) lines.push(...examples(r, r.gate, shown, subject), "");
  if (showChange) lines.push(...change(r, shown.candidate.template, shown.candidate.demos ?? []), "");
  if (decision.kind === "ship" && r.kind === "optimize")
    lines.push(...productionSection(r, decision.result), "");
  const chart = r.gate
    ? scoreChartOrTable(`${r.task}: held-out score by version`, chartPoints(r, decision))
    : "";
  if (chart) lines.push("### Score by version", "", chart, "");
  if (r.agreement) lines.push(...evaluatorSection(r, r.agreement), "");
  const costs = costSection(r);
  if (costs) lines.push(costs, "");
  if (showChange) {
    const template = shown.candidate.template;
    lines.push(
      details(
        `${r.kind === "eval" ? "Your prompt" : "The new prompt"} in full (${plural(template.split("\n").length, "line")})`,
        fence(template, "text"),
      ),
      "",
      details(
        "The change as a unified diff (for <code>git apply</code>)",
        fence(unifiedDiff(r.seedTemplate, template), "diff"),
      ),
      "",
    );
  }
  lines.push(...footer(r, decision));
  return lines.join("\n");
}

/**
 * The change as a reviewer reads it: the instruction word by word (quoted examples taken out, so
 * a few-shot prompt does not bury a one-line edit under its examples), the examples it quotes in
 * one folded list, and how the search got there, in words.
 */
function change(r: ReportInput, template: string, demos: readonly Demonstration[]): string[] {
  const out = ["### The change", ""];
  // Taking the section out leaves the blank lines around it: one blank line is what was meant.
  const instruction = (prompt: string) => withoutDemonstrations(prompt).replace(/\n{3,}/g, "\n\n");
  const [before, after] = [instruction(r.seedTemplate), instruction(template)];
  const examplesBefore = quotedExampleCount(r.seedTemplate);
  const examplesAfter = quotedExampleCount(template);
  if (before.trim() === after.trim() && examplesBefore !== examplesAfter)
    out.push("The instruction is the same, word for word; only the quoted examples changed.");
  else out.push(wordDiffHtml(before, after));
  if (examplesAfter > 0 || examplesBefore > 0) {
    const moved =
      examplesBefore === 0
        ? `${plural(examplesAfter, "solved example")} from feedback added`
        : examplesAfter === 0
          ? `the ${plural(examplesBefore, "quoted example")} taken out`
          : `${plural(examplesAfter, "solved example")} quoted (the active prompt quotes ${examplesBefore})`;
    out.push(
      "",
      demos.length > 0
        ? details(
            `${capitalise(moved)}: each one's input and the answer people scored well or gave`,
            demos
              .map(
                (d, i) =>
                  `${i + 1}. ${cell(formatInputs(d.inputs), 160)} → **${cell(d.output, 80)}** <sub>(feedback entry \`${d.id}\`)</sub>`,
              )
              .join("\n"),
          )
        : `${capitalise(moved)}.`,
    );
  }
  const story = lineageInWords(r.lineage ?? []);
  if (story.length > 0) out.push("", ...story);
  return out;
}

/** The accepted steps from the active prompt to this one, told as a reviewer reads them. */
function lineageInWords(steps: readonly LineageStep[]): string[] {
  if (steps.length === 0) return [];
  const told = steps.map((step, i) => {
    const what =
      step.change === "instruction"
        ? `Rewrote the instruction${step.rationale ? `: ${cell(withPeriod(step.rationale), 300)}` : "."}`
        : examplesStep(step.examples);
    const measured = step.validation
      ? ` Validation score ${pct(step.validation.before)} → ${pct(step.validation.after)} on ${plural(step.validation.examples, "example")}.`
      : "";
    return `${i + 1}. ${what}${measured}`;
  });
  return [
    `How the search got here, from the active prompt in ${plural(steps.length, "accepted step")} (each kept only because it scored better than the step before it, beyond noise):`,
    "",
    ...told,
  ];
}

function examplesStep(e: LineageStep["examples"]): string {
  if (e.before === 0) return `Quoted ${plural(e.after, "solved example")} from feedback.`;
  if (e.after > e.before && e.removed === 0)
    return `Added ${plural(e.added, "solved example")} (now ${e.after}).`;
  if (e.added === 0) return `Dropped ${plural(e.removed, "quoted example")} (now ${e.after}).`;
  return `Swapped ${plural(e.removed, "quoted example")} for ${plural(e.added, "other")} from feedback (now ${e.after}).`;
}

const withPeriod = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
const capitalise = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/**
 * What the candidate costs on every production call against the active prompt, the rule that
 * chose the shortest of tied candidates, and the production inputs it quotes.
 */
function productionSection(r: ReportInput, shown: TestResult): string[] {
  const out = ["### Cost per call in production", ""];
  const p = r.production;
  if (p) {
    const usd = (x: number | null) => (x === null ? "no price" : `$${x.toFixed(4)}`);
    const tokens = (x: number) => Math.round(x).toLocaleString("en-US");
    out.push(
      "| per call | active prompt | this candidate |",
      "| --- | ---: | ---: |",
      `| input tokens | ${tokens(p.before.inputTokens)} | ${tokens(p.after.inputTokens)} |`,
      `| output tokens | ${tokens(p.before.outputTokens)} | ${tokens(p.after.outputTokens)} |`,
      `| USD per 1,000 calls (\`${p.model}\`) | ${usd(p.before.usdPer1000)} | ${usd(p.after.usdPer1000)} |`,
      "",
    );
  }
  out.push(
    r.gate?.shorterOfTied
      ? "Among candidates tied within noise on held-out scores, the shortest ships: this one is shorter than the best-scoring finalist, whose score it matches within noise."
      : "Among candidates tied within noise on held-out scores, the shortest ships: production pays for every token of the prompt on every call.",
  );
  const demos = shown.candidate.demos ?? [];
  if (demos.length > 0)
    out.push(
      "",
      `This prompt quotes ${plural(demos.length, "production input")} verbatim, with the outputs people scored well or corrected (listed under "The change", each with the feedback entry it comes from): the text of those entries is committed to the repository with the prompt file. Set \`demonstrations: false\` (or \`demonstrations: { max: N }\`) in the task file to prevent or limit it.`,
    );
  return out;
}

/** The report's first line (Markdown): what was decided, by how much, at what cost. */
export const verdictLine = (r: ReportInput): string => verdict(r, decide(r));

/** When nothing ships within noise: whether more data would decide, and how much (plain text); else null. */
export function moreDataLine(r: ReportInput): string | null {
  const d = decide(r);
  return d.kind === "noise" ? examplesToDecideText(r, d.best, r.gate!.results.length) : null;
}

function verdict(r: ReportInput, d: Decision): string {
  const on = (n: number) => `on ${n} held-out example${n === 1 ? "" : "s"}`;
  const versus = (t: TestResult) =>
    `${pct(t.mean.mean)} against ${pct(r.gate!.seed.mean.mean)} for the active prompt, ${points(t.gain.mean)} points (${gainInterval(t.gain)}), ${on(r.test.length)}`;
  switch (d.kind) {
    case "ship":
      return r.kind === "eval"
        ? `✅ **Your edit is better: ${versus(d.result)}.**`
        : `✅ **Better: the candidate scores ${versus(d.result)}${atWhatCost(r)}.** Merge to make it the active prompt.`;
    case "noise":
      if (r.kind === "eval")
        return d.best.gain.high < 0
          ? `❌ **Your edit is worse: ${versus(d.best)}.**`
          : `➖ **Your edit is not measurably better: ${versus(d.best)}.**`;
      return `❌ **${notShipped(d.best)}: the best candidate scores ${versus(d.best)}; ${signCounts(d.best, r.gate!)}.** No pull request${searchCost(r)}.`;
    case "no-survivor":
      return `❌ **No better prompt: no proposal beat the active prompt on validation data, so nothing reached the held-out test.** No pull request${searchCost(r)}.`;
    case "untrusted":
      return d.rho === null
        ? `❌ **No search: the evaluator's agreement with people's scores cannot be measured, so a better score would not mean a better prompt.**`
        : `❌ **No search: the evaluator does not agree with people's scores (Spearman ρ = ${d.rho.toFixed(2)}, below 0.30), so a better score would not mean a better prompt.**`;
    case "not-enough-data":
      return `❌ **No search: ${d.usable} usable feedback entr${d.usable === 1 ? "y" : "ies"} (of ${d.total} logged), and Kaizen's policy is to search from ${d.needed}: ${d.needed - d.usable} more would start it.**`;
  }
}

/** "; found for $0.42 of model calls, and each production call costs 97 input tokens against 41 today". */
function atWhatCost(r: ReportInput): string {
  const parts: string[] = [];
  if (r.spent)
    parts.push(
      `found for ${usd(r.spent.spentUsd)} of model calls${countedByKaizen(r) ? " (usage counted by Kaizen)" : ""}`,
    );
  const p = r.production;
  if (p) {
    const tokens = (x: number) => Math.round(x).toLocaleString("en-US");
    parts.push(
      Math.round(p.after.inputTokens) === Math.round(p.before.inputTokens)
        ? `each production call reads as many input tokens as today (${tokens(p.after.inputTokens)})`
        : `each production call reads ${tokens(p.after.inputTokens)} input tokens against ${tokens(p.before.inputTokens)} today`,
    );
  }
  return parts.length > 0 ? `; ${parts.join(", and ")}` : "";
}

/** "; the search cost $0.42". */
const searchCost = (r: ReportInput) =>
  r.spent
    ? `; the search cost ${usd(r.spent.spentUsd)}${countedByKaizen(r) ? " (usage counted by Kaizen)" : ""}`
    : "";

/** Responses that came without `usage`, whose tokens Kaizen counted: their cost is Kaizen's count. */
const countedByKaizen = (r: ReportInput) => (r.calls.usageCounted ?? 0) > 0;

const usd = (x: number) => `$${x.toFixed(x >= 1 ? 2 : 4)}`;

/**
 * The headline of a candidate that does not ship says what decided: "Not better" when it won no
 * more examples than it lost (or lost on average), "Not significant" only when it did win more and
 * the sign test found that within luck. Never "not significant" for a reason the test did not give.
 */
function notShipped(best: TestResult): string {
  const sign = best.sign;
  // No winner means every finalist's test came out at or above the level: the test said so.
  return !sign || sign.wins <= sign.losses || best.gain.mean <= 0 ? "Not better" : "Not significant";
}

/** "it won 9 examples and lost 3 (exact sign test p = 0.073; a candidate ships below 0.025)". */
function signCounts(best: TestResult, gate: GateOutcome): string {
  if (!best.sign) return "no sign test was run";
  const { wins, losses, p } = best.sign;
  return `it won ${plural(wins, "example")} and lost ${losses} (exact sign test p = ${formatP(p)}; a candidate ships below ${shipLevel(gate.results.length)})`;
}

const formatP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toPrecision(2));

function gainInterval(gain: Interval): string {
  // A zero-width interval (every example moved alike) is no measure of noise: say so instead.
  if (gain.low === gain.high) return "no interval: every example moved by the same amount";
  return `95% interval ${points(gain.low)} to ${points(gain.high)}`;
}

function sampleWarning(r: ReportInput, d: Decision): string | null {
  if (d.kind !== "ship" && d.kind !== "noise") return null;
  const n = r.test.length;
  if (n >= SMALL_SAMPLE) return null;
  return [
    "> [!WARNING]",
    `> Only ${n} held-out examples: one example moves the score by ${(100 / Math.max(n, 1)).toFixed(1)} points, so read the interval, not the mean. ${SMALL_SAMPLE} or more make the result firm; more scored feedback grows the held-out set.`,
  ].join("\n");
}

/** How many held-out examples the sign test would need at the observed win rate, and the feedback that takes. */
function examplesToDecideText(r: ReportInput, best: TestResult, finalists: number): string {
  const subject = r.kind === "eval" ? "your edit" : "the best candidate";
  if (!best.sign || best.gain.mean <= 0 || best.sign.wins <= best.sign.losses)
    return `${subject[0]!.toUpperCase()}${subject.slice(1)} did not win more examples than it lost, so more data would not turn this into a yes.`;
  const n = r.test.length;
  const needed = examplesToDecide(best.sign, n, shipLevel(finalists));
  const usable = r.sizes.train + r.sizes.val + r.sizes.test;
  if (needed !== null)
    for (let total = usable; total <= usable + 10_000; total++)
      if (splitSizes(total).test >= needed)
        return `At this rate of wins, losses and ties, about ${needed} held-out examples would decide (now ${n}): about ${total - usable} more scored feedback entries.`;
  return `At a win rate this close to even, even the largest held-out set would likely not tell it from noise.`;
}

function whyNot(r: ReportInput, d: Exclude<Decision, { kind: "ship" }>): string[] {
  const task = `\`.kaizen/tasks/${r.task}.yml\``;
  const out = ["### Why not, and what next", ""];
  switch (d.kind) {
    case "noise":
      out.push(
        r.kind === "eval"
          ? `The difference between your edit and the active prompt is within the noise of ${r.test.length} examples.`
          : `No candidate won significantly more held-out examples than it lost (exact sign test at p < ${shipLevel(r.gate!.results.length)} for each of ${plural(r.gate!.results.length, "finalist")}).${d.best.gain.low > 0 ? " The gain's interval excludes 0 because what it won, it won by more than what it lost; the ship decision counts the examples won and lost, which assumes nothing about the scores' scale." : ""}`,
        "",
        examplesToDecideText(r, d.best, r.gate!.results.length),
        "",
        r.kind === "eval"
          ? "Next: look at the examples below, where your edit and the active prompt differ; log more scored feedback for a firmer answer."
          : `Next: nothing to do. Kaizen runs again when new feedback reaches the task's \`feedback_threshold\`; a sharper rubric in ${task} separates good answers from bad ones better.`,
      );
      break;
    case "no-survivor":
      out.push(
        "Every proposal scored at or below the active prompt on the validation set, so none was worth testing.",
        "",
        `Next: let more feedback arrive (more varied examples give the teacher more to learn from), raise \`cost_budget\` in ${task} for a longer search, or try another \`teacher_model\`.`,
      );
      break;
    case "untrusted":
      if (d.because) {
        out.push(
          `Before searching, Kaizen scores the logged outputs with the evaluator and compares with people's scores. ${d.because.measured}`,
          "",
          `Next (in ${task}): ${d.because.fix}`,
        );
        break;
      }
      out.push(
        "Before searching, Kaizen scores the logged outputs with the evaluator and compares with people's scores. They disagree, so optimizing against the evaluator would optimize the wrong thing.",
        "",
        `Next: make the rubric in ${task} (\`evaluator_config\`) say what people reward, or add a deterministic evaluator (\`exact_match\`, \`json_schema\`), then run again.`,
      );
      break;
    case "not-enough-data":
      out.push(
        `A usable entry has a score, the inputs and the output that was scored. With fewer than ${d.needed}, the held-out test would be too small to tell a better prompt from luck.`,
        "",
        `Next: log ${d.needed - d.usable} more scored entries with inputs and outputs (the SDK's \`logFeedback\`, or \`kaizen feedback import\`).`,
      );
      break;
  }
  return out.filter((line, i, all) => !(line === "" && all[i - 1] === ""));
}

function scores(r: ReportInput, gate: GateOutcome, subject: string): string[] {
  const name = (t: TestResult) =>
    r.kind === "eval"
      ? "your edit"
      : t === gate.winner
        ? "the candidate (this pull request)"
        : `finalist ${gate.results.indexOf(t) + 1}`;
  return [
    "### Held-out scores",
    "",
    `${r.test.length} examples that ${r.kind === "eval" ? "neither prompt was tuned on" : "no candidate saw during the search"}, scored by the same evaluator; 95% Wilson intervals, which stay honest on a few dozen examples. A candidate ships only when it wins significantly more examples than it loses (exact sign test, p < 0.05). The gain is ${subject} minus the active prompt on the same examples.`,
    "",
    "| prompt | score | 95% interval | gain | gain's 95% interval |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| active prompt | ${pct(gate.seed.mean.mean)} | ${pct(gate.seed.mean.low)} to ${pct(gate.seed.mean.high)} | | |`,
    ...gate.results.map(
      (t) =>
        `| ${name(t)} | ${pct(t.mean.mean)} | ${pct(t.mean.low)} to ${pct(t.mean.high)} | ${points(t.gain.mean)} pts | ${points(t.gain.low)} to ${points(t.gain.high)} |`,
    ),
  ];
}

function chartPoints(r: ReportInput, d: Decision): ScorePoint[] {
  const history = versionPoints(r.history);
  // The active version's score as measured now, when it has none on record (a first pull request).
  if (r.gate && !history.some((p) => p.label.endsWith("(active)"))) {
    const active = r.history.find((v) => v.status === "active");
    history.push({
      label: active ? `v${active.version_number} (active)` : "active",
      score: r.gate.seed.mean.mean,
    });
  }
  if (d.kind === "ship" || d.kind === "noise") {
    const shown = d.kind === "ship" ? d.result : d.best;
    const label = r.kind === "eval" ? "your edit" : d.kind === "ship" ? "candidate" : "best candidate";
    history.push({ label, score: shown.mean.mean });
  }
  return history;
}

function examples(r: ReportInput, gate: GateOutcome, shown: TestResult, subject: string): string[] {
  const moves = r.test
    .map((e) => ({
      e,
      before: gate.seed.scores.get(e.id)?.score ?? 0,
      after: shown.scores.get(e.id)?.score ?? 0,
    }))
    .map((m) => ({ ...m, delta: m.after - m.before }))
    .sort((a, b) => b.delta - a.delta);
  const improved = moves.filter((m) => m.delta > 0);
  const regressed = moves.filter((m) => m.delta < 0).reverse();
  const out = [
    "### Examples that moved",
    "",
    `${improved.length} improved, ${regressed.length} regressed, ${moves.length - improved.length - regressed.length} unchanged of ${moves.length}.`,
    "",
  ];
  const block = (m: (typeof moves)[number], index: number) => {
    const rows = [
      `**${index}.** ${points(m.delta)} points`,
      "",
      "| | text | score |",
      "| --- | --- | ---: |",
      `| **input** | ${cell(formatInputs(m.e.inputs))} | |`,
      `| **active prompt** | ${cell(gate.seed.outputs.get(m.e.id) ?? "")} | ${pct(m.before)} |`,
      `| **${subject.replace(/^the /, "")}** | ${cell(shown.outputs.get(m.e.id) ?? "")} | ${pct(m.after)} |`,
    ];
    if (m.e.expected !== null) rows.push(`| **expected** | ${cell(m.e.expected)} | |`);
    return rows;
  };
  const group = (title: string, list: typeof moves) =>
    list.length === 0
      ? []
      : [`#### ${title}`, "", ...list.slice(0, EXAMPLES_SHOWN).flatMap((m, i) => [...block(m, i + 1), ""])];
  out.push(...group("Improved", improved), ...group("Regressed", regressed));
  while (out.at(-1) === "") out.pop();
  return out;
}

/** "key: value" lines, the way a person reads a record of inputs. */
function formatInputs(inputs: Record<string, unknown>): string {
  return Object.entries(inputs)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}

function evaluatorSection(r: ReportInput, agreement: Agreement): string[] {
  const out = ["### The evaluator", "", `Scored by **${r.evaluator.name}**.`];
  if (!r.evaluator.usesJudge) {
    out.push("", "It is deterministic: the same output always gets the same score.");
    return out;
  }
  out.push(
    "",
    agreement.spearman.value === null
      ? `Its agreement with people's scores is undefined (${agreement.spearman.reason}); mean absolute error ${agreement.mae.toFixed(3)} on ${agreement.n} logged outputs.`
      : `It agrees with people's scores at Spearman ρ = ${agreement.spearman.value.toFixed(2)} (1 is perfect, 0 is none) with a mean absolute error of ${agreement.mae.toFixed(3)} on ${agreement.n} logged outputs. Judged twice, the same output varies by σ = ${agreement.noise.toFixed(3)} (the judge's noise).`,
  );
  return out;
}

function costSection(r: ReportInput): string | null {
  if (!r.estimate || !r.spent) return null;
  const rows = ["| | estimated | spent |", "| --- | ---: | ---: |"];
  for (const line of r.estimate.lines)
    rows.push(
      `| ${line.role} \`${line.model}\` | $${line.usd.toFixed(4)} (${line.calls} calls) | $${r.spent.byRole[line.role].usd.toFixed(4)} (${r.spent.byRole[line.role].calls} calls) |`,
    );
  rows.push(
    `| **total** | **$${r.estimate.usd.toFixed(4)}** | **$${r.spent.spentUsd.toFixed(4)}** |`,
    "",
    `${r.calls.made} model calls, ${r.calls.cached} answered from the cache; ${r.durationSeconds.toFixed(1)} s; data: ${r.sizes.train} train, ${r.sizes.val} validation, ${r.sizes.test} held-out examples.`,
  );
  if (r.search) {
    const count = (status: string) => r.search!.candidates.filter((c) => c.status === status).length;
    const stopped =
      r.search.stoppedBy === "budget"
        ? "stopped at the budget"
        : r.search.stoppedBy === "planned spend"
          ? "stopped at the planned spend: its prompts quoted examples, longer than the plan counted"
          : "all planned iterations ran";
    rows.push(
      "",
      `Search: ${plural(r.search.candidates.length - 1, "proposal")}, ${count("validated")} validated, ${count("stopped")} stopped early, ${count("rejected")} rejected (${stopped}).`,
    );
  }
  if (countedByKaizen(r))
    rows.push(
      "",
      `Usage counted by Kaizen: ${plural(r.calls.usageCounted!, "response")} of the model server came without \`usage\`, so Kaizen counted their tokens itself (with o200k_base, the encoding of OpenAI's current models: an estimate for other models); the provider's bill may differ.`,
    );
  return details(
    `Cost ${usd(r.spent.spentUsd)}${countedByKaizen(r) ? " (usage counted by Kaizen)" : ""} of ${usd(r.estimate.usd)} estimated; the search`,
    rows.join("\n"),
  );
}

function footer(r: ReportInput, d: Decision): string[] {
  const out = ["---", ""];
  const task = r.task;
  if (d.kind === "ship" && r.kind === "optimize")
    out.push(
      `- **Merge**: this prompt becomes the active version of \`${task}\` (the file on the default branch, and the version \`getPrompt\` serves).`,
      `- **Close**: the active prompt stays as it is and this candidate is archived; a later job may propose another.`,
      `- **Roll back** after a merge: \`kaizen prompts rollback --task ${task}\`, or \`POST /api/v1/tasks/${task}/prompts/{version_id}/activate\` with the version to restore.`,
    );
  if (r.kind === "eval")
    out.push(
      "- This check only informs: it never fails the pull request. It runs again on every push.",
      `- After a merge, \`kaizen prompts rollback --task ${task}\` or \`POST /api/v1/tasks/${task}/prompts/{version_id}/activate\` restores a previous version.`,
    );
  const where = [
    r.footer.jobId ? `job \`${r.footer.jobId}\`` : null,
    r.footer.runUrl ? `[the workflow run](${r.footer.runUrl})` : null,
  ].filter(Boolean);
  if (where.length) out.push(`- Kaizen ${where.join(", ")}.`);
  return out;
}

/** The evaluator by name, as the task configures it: "LLM judge (gpt-4o-mini)", "exact match 70% + LLM judge (gpt-4o-mini) 30%". */
export function evaluatorName(config: Pick<TaskConfig, "evaluator_config">, judgeModel: string): string {
  const specs = config.evaluator_config?.evaluators ?? [{ type: "llm_judge" as const, weight: 1 }];
  const name = (type: string) =>
    type === "llm_judge" ? `LLM judge (${judgeModel})` : type.replace(/_/g, " ");
  if (specs.length === 1) return name(specs[0]!.type);
  const total = specs.reduce((s, x) => s + x.weight, 0) || 1;
  return specs.map((s) => `${name(s.type)} ${Math.round((s.weight / total) * 100)}%`).join(" + ");
}

/** A report fitted to GitHub's limit, with a pointer to where the whole one is kept. */
export function reportForGitHub(markdown: string, limit: number, jobId: string | null): string {
  return fitBody(
    markdown,
    limit,
    jobId
      ? `the job record (\`kaizen jobs show ${jobId}\` or \`GET /api/v1/jobs/${jobId}\`, \`job_metadata.report\`) and the workflow run's summary.`
      : "the workflow run's summary.",
  );
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
