/**
 * The text of the "Kaizen dashboard" issue, one per repository, like the dependency dashboards
 * of the best PR bots: every task with its feedback against its threshold, its score across
 * versions (a chart from two versions on, the report's), its last jobs with their whole ids and
 * UTC times, and check boxes a person ticks to start an optimization or retry a failed pull
 * request; and which boxes an edit of that text ticked. src/github/dashboard.ts writes it.
 */
import type { CanaryView } from "../core/canary.js";
import type { Job, PromptVersion } from "../core/records.js";
import { DASHBOARD_MARKER } from "../github/dashboard.js";
import { canaryDashboardLine } from "../render/canary.js";
import { scoreChartOrTable, versionPoints } from "./index.js";
import { cell } from "./markdown.js";

export interface DashboardTask {
  name: string;
  feedbackSinceOptimization: number;
  threshold: number;
  versions: readonly PromptVersion[];
  jobs: readonly Job[];
  /** The production canary of the task's candidate, or null when none runs. */
  canary: CanaryView | null;
}

export type DashboardAction = { kind: "optimize"; task: string } | { kind: "retry-pr"; jobId: string };

/** A time as people in every zone read it: "2026-11-22 10:00 UTC". */
export function utc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function renderDashboard(tasks: readonly DashboardTask[]): string {
  const lines = [
    DASHBOARD_MARKER,
    "Kaizen keeps this issue up to date after every job and merge. Tick a box to act.",
    "",
  ];
  for (const task of tasks) {
    const active = task.versions.find((v) => v.status === "active");
    lines.push(
      `## ${task.name}`,
      "",
      `Feedback since the last optimization: **${task.feedbackSinceOptimization} / ${task.threshold}**${task.feedbackSinceOptimization >= task.threshold ? " (due)" : ""} · active prompt: ${active ? `v${active.version_number}${active.eval_score !== null ? ` (${(active.eval_score * 100).toFixed(1)}%)` : ""}` : "none yet"}`,
      "",
    );
    if (task.canary) lines.push(canaryDashboardLine(task.canary, task.versions), "");
    const chart = scoreChartOrTable(`${task.name}: score by version`, versionPoints(task.versions));
    if (chart) lines.push(chart, "");
    if (task.jobs.length > 0) {
      lines.push("| job | started | state | result |", "| --- | --- | --- | --- |");
      for (const job of task.jobs.slice(0, 5)) {
        const run =
          typeof job.job_metadata?.workflow_run_url === "string"
            ? ` ([run](${job.job_metadata.workflow_run_url}))`
            : "";
        lines.push(
          // The whole id: a UUIDv7 starts with its timestamp, so jobs of one day share their first characters.
          `| \`${job.id}\`${run} | ${utc(job.created_at)} | ${job.status} | ${job.pr_url ? `[pull request](${job.pr_url})` : cell(job.error_message ?? job.progress_step ?? "")} |`,
        );
      }
      lines.push("");
    }
    lines.push(`- [ ] <!-- kaizen:optimize:${task.name} --> Optimize **${task.name}** now`);
    for (const job of task.jobs.filter((j) => j.status === "PR_FAILED"))
      lines.push(`- [ ] <!-- kaizen:retry-pr:${job.id} --> Retry the pull request of job \`${job.id}\``);
    lines.push("");
  }
  return lines.join("\n");
}

/** The boxes ticked in `after` that were not ticked in `before`. */
export function tickedActions(before: string, after: string): DashboardAction[] {
  const ticked = (body: string) =>
    new Set(
      [...body.matchAll(/^- \[[xX]\] <!-- kaizen:(optimize|retry-pr):([^ ]+) -->/gm)].map(
        (m) => `${m[1]}:${m[2]}`,
      ),
    );
  const was = ticked(before);
  return [...ticked(after)]
    .filter((t) => !was.has(t))
    .map((t) => {
      const [kind, value] = t.split(/:(.*)/s) as [string, string];
      return kind === "optimize" ? { kind: "optimize", task: value } : { kind: "retry-pr", jobId: value };
    });
}
