/**
 * The "Kaizen dashboard" issue on GitHub: created, or updated in place, through an ensure; its
 * text is src/report/dashboard.ts's.
 */
import type { Octokit } from "octokit";
import { fitBody, GITHUB_LIMITS } from "./limits.js";
import { paginate } from "./paginate.js";

export const DASHBOARD_TITLE = "Kaizen dashboard";
export const DASHBOARD_LABEL = "kaizen";
/** The first line of every dashboard Kaizen writes: how its issue is told from others. */
export const DASHBOARD_MARKER = "<!-- kaizen:dashboard -->";

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
    (issue) =>
      issue.title === DASHBOARD_TITLE && issue.body?.startsWith(DASHBOARD_MARKER) && isByBot(issue.user),
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
  return issue.title === DASHBOARD_TITLE && (issue.body ?? "").startsWith(DASHBOARD_MARKER);
}

/** Anyone can open an issue with the dashboard's title and marker: only one a bot opened is ours. */
function isByBot(user: { type?: string } | null | undefined): boolean {
  return user?.type === "Bot";
}
