/**
 * The canary's figures in words, one rendering for every place people read them: the check run
 * "Kaizen: production canary", the comment on stop, the dashboard and `kaizen canary status`.
 */
import { signed, type CanaryView } from "../core/canary.js";

const percent = (mean: number | null) => (mean === null ? "–" : `${(mean * 100).toFixed(1)}%`);

/** The decision as a title: `Production canary: stop (candidate worse by 12.0 points)`. */
export function canaryTitle(view: CanaryView): string {
  const estimate = view.difference.estimate;
  const by =
    estimate === null
      ? ""
      : ` (candidate ${estimate >= 0 ? "better" : "worse"} by ${Math.abs(estimate * 100).toFixed(1)} points)`;
  const word = { collecting: "collecting", promote: "promote", stop: "stop" }[view.decision];
  return `Production canary: ${word}${by}`;
}

/**
 * A markdown table of both arms, the difference and its interval, and the decision; with the
 * offline proof beside it when there is one (the candidate's eval score on held-out feedback).
 */
export function canaryMarkdown(
  view: CanaryView,
  offline: { candidate: number | null; active: number | null } | null,
): string {
  const d = view.difference;
  const rows = [
    "| | active | candidate | difference (95%, valid at every look) |",
    "|---|---:|---:|---|",
    `| production: mean score | ${percent(view.arms.active.mean)} | ${percent(view.arms.candidate.mean)} | ${d.estimate === null ? "–" : signed(d.estimate)} in [${signed(d.low)}, ${signed(d.high)}] |`,
    `| production: scored entries | ${view.arms.active.n} | ${view.arms.candidate.n} | |`,
  ];
  if (offline)
    rows.push(
      `| offline proof: eval score | ${percent(offline.active)} | ${percent(offline.candidate)} | ${offline.active !== null && offline.candidate !== null ? signed(offline.candidate - offline.active) : "–"} |`,
    );
  return [
    `**Decision: ${view.decision}**: ${view.reason}.`,
    "",
    ...rows,
    "",
    `The candidate is served to ${(view.share * 100).toFixed(1)}% of units${view.decision === "stop" ? " (stopped: every unit gets the active version)" : ""}. The interval comes from empirical-Bernstein confidence sequences (Waudby-Smith & Ramdas, 2024), so it may be read after every entry.`,
  ].join("\n");
}

/** Plain lines for a terminal. */
export function canaryText(view: CanaryView): string {
  const d = view.difference;
  return [
    `decision:   ${view.decision}`,
    `reason:     ${view.reason}`,
    `candidate:  ${view.candidate_version_id ?? "none"} (share ${view.share})`,
    `active:     n=${view.arms.active.n} mean=${percent(view.arms.active.mean)}`,
    `candidate:  n=${view.arms.candidate.n} mean=${percent(view.arms.candidate.mean)}`,
    `difference: ${d.estimate === null ? "–" : signed(d.estimate)} in [${signed(d.low)}, ${signed(d.high)}]`,
  ].join("\n");
}

/**
 * The canary in one line for the dashboard issue: what it compares, its decision, and what that
 * means for production (a stop serves every unit the active version).
 */
export function canaryDashboardLine(
  view: CanaryView,
  versions: readonly { id: string; version_number: number }[],
): string {
  const number = (id: string | null) => versions.find((v) => v.id === id)?.version_number;
  const candidate = number(view.candidate_version_id);
  const name = candidate === undefined ? "the candidate" : `v${candidate}`;
  const entries = `${view.arms.active.n + view.arms.candidate.n} scored entries`;
  const d = view.difference;
  const points = (x: number) => `${x < 0 ? "−" : "+"}${Math.abs(x * 100).toFixed(1)}`;
  const figures =
    d.estimate === null
      ? entries
      : `candidate ${points(d.estimate)} points, 95% interval ${points(d.low)} to ${points(d.high)}, ${entries}`;
  const outcome = {
    collecting: `collecting, ${(view.share * 100).toFixed(1)}% of units get ${name}`,
    promote: `**promote**: ${view.reason}; merging its pull request makes ${name} active`,
    stop: `**stopped**: ${view.reason}; every unit gets the active version`,
  }[view.decision];
  return `Production canary of ${name}: ${outcome} (${figures}).`;
}
