/**
 * The "Kaizen dashboard" issue, one per repository, like the dependency dashboards of the best
 * PR bots: every task with its feedback against its threshold, its score across versions (a
 * chart from two versions on, the report's), its last jobs with their whole ids and UTC times, and check boxes a person
 * ticks to start an optimization or retry a failed pull request. Written through an ensure.
 */
import type { Octokit } from "octokit";
import { z } from "zod";
import type { CanaryView } from "../core/canary.js";
import type { Job, PromptVersion } from "../core/records.js";
import { canaryDashboardLine } from "../render/canary.js";
import { scoreChartOrTable, versionPoints } from "../report/index.js";
import { cell } from "../report/markdown.js";
import type { Store } from "../store/store.js";
import { fitBody, GITHUB_LIMITS } from "./limits.js";
import { paginate } from "./paginate.js";

export const DASHBOARD_TITLE = "Kaizen dashboard";
export const DASHBOARD_LABEL = "kaizen";
const MARKER = "<!-- kaizen:dashboard -->";

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
    MARKER,
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

/** Creates the dashboard issue, or updates the open one in place; nothing when unchanged. */
export async function ensureDashboard(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  fullBody: string,
): Promise<{ number: number; action: "created" | "updated" | "unchanged" }> {
  const body = fitBody(
    fullBody,
    GITHUB_LIMITS.issueBody,
    "each task's page of the Kaizen API (`kaizen status`)",
  );
  const issues = await paginate(octokit)("GET /repos/{owner}/{repo}/issues", {
    ...repo,
    state: "open",
    labels: DASHBOARD_LABEL,
    per_page: 100,
  });
  const existing = issues.find(
    (issue) => issue.title === DASHBOARD_TITLE && issue.body?.startsWith(MARKER) && isByBot(issue.user),
  );
  if (!existing) {
    const created = await octokit.request("POST /repos/{owner}/{repo}/issues", {
      ...repo,
      title: DASHBOARD_TITLE,
      body,
      labels: [DASHBOARD_LABEL],
    });
    return { number: created.data.number, action: "created" };
  }
  if (existing.body === body) return { number: existing.number, action: "unchanged" };
  await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    ...repo,
    issue_number: existing.number,
    body,
  });
  return { number: existing.number, action: "updated" };
}

export function isDashboard(issue: { title: string; body?: string | null }): boolean {
  return issue.title === DASHBOARD_TITLE && (issue.body ?? "").startsWith(MARKER);
}

/** Anyone can open an issue with the dashboard's title and marker: only one a bot opened is ours. */
function isByBot(user: { type?: string } | null | undefined): boolean {
  return user?.type === "Bot";
}

/** Kaizen's own record of its dashboard issue, on the data branch (outside per-task `state/`). */
const DASHBOARD_RECORD = "github/dashboard.json";
const DashboardRecord = z.object({ issue_number: z.number().int().positive() });

/**
 * Remembers the dashboard's issue number, so that a tick is trusted only on that issue;
 * writes nothing when it is already recorded.
 */
export async function recordDashboardIssue(
  store: Pick<Store, "transact">,
  issueNumber: number,
): Promise<void> {
  await store.transact(`Record the dashboard issue #${issueNumber}`, async (tx) => {
    const current = await tx.readJson(DASHBOARD_RECORD, DashboardRecord);
    if (current?.issue_number !== issueNumber)
      tx.writeJson(DASHBOARD_RECORD, DashboardRecord, { issue_number: issueNumber });
  });
}

/** The recorded dashboard issue number, or null before Kaizen wrote its dashboard. */
export async function recordedDashboardIssue(store: Pick<Store, "transact">): Promise<number | null> {
  return store.transact("Read the dashboard issue record", async (tx) => {
    return (await tx.readJson(DASHBOARD_RECORD, DashboardRecord))?.issue_number ?? null;
  });
}
