/**
 * A task's score across prompt versions, as GitHub renders it: a Mermaid xychart-beta bar chart
 * when there are at least two points to compare, a small table otherwise (a chart of one bar
 * says nothing, and an empty chart is worse). One place for the report and the dashboard.
 */
import type { PromptVersion } from "../core/records.js";
import { pct } from "./markdown.js";

export interface ScorePoint {
  label: string;
  /** In [0, 1]. */
  score: number;
}

/**
 * GitHub renders Mermaid in its light or dark theme; the theme's default plot colours are pale
 * on one of them. This blue (GitHub's own accent of the dark theme) has a contrast above 3:1 on
 * both the white and the near-black page.
 */
export const CHART_COLOUR = "#4493f8";

const quoted = (text: string) => `"${text.replace(/["\\]/g, "'")}"`;

/** The Mermaid block, or null below two points. */
export function scoreChart(title: string, points: readonly ScorePoint[]): string | null {
  if (points.length < 2) return null;
  // A short chart: the default 500 px tall plot dwarfs the report around it.
  const config = {
    xyChart: { height: 280, width: 640 },
    // Transparent: the dark theme's grey box around the plot stands out on GitHub's dark page.
    themeVariables: { xyChart: { plotColorPalette: CHART_COLOUR, backgroundColor: "transparent" } },
  };
  return [
    "```mermaid",
    `%%{init: ${JSON.stringify(config)}}%%`,
    "xychart-beta",
    `  title ${quoted(title)}`,
    `  x-axis [${points.map((p) => quoted(p.label)).join(", ")}]`,
    '  y-axis "score (%)" 0 --> 100',
    `  bar [${points.map((p) => (p.score * 100).toFixed(1)).join(", ")}]`,
    "```",
  ].join("\n");
}

/** The chart, or a small table when there are fewer than two points; "" when there are none. */
export function scoreChartOrTable(title: string, points: readonly ScorePoint[]): string {
  if (points.length === 0) return "";
  return (
    scoreChart(title, points) ??
    ["| version | score |", "| --- | ---: |", ...points.map((p) => `| ${p.label} | ${pct(p.score)} |`)].join(
      "\n",
    )
  );
}

/** The scored versions of a task, oldest first, the active one marked. */
export function versionPoints(versions: readonly PromptVersion[]): ScorePoint[] {
  return [...versions]
    .filter((v) => v.eval_score !== null)
    .sort((a, b) => a.version_number - b.version_number)
    .map((v) => ({
      label: `v${v.version_number}${v.status === "active" ? " (active)" : ""}`,
      score: v.eval_score!,
    }));
}
