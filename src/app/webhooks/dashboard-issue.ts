/**
 * Which issue is Kaizen's dashboard. Anyone can open an issue with its title and hidden marker,
 * or edit one: only the issue Kaizen made, recorded by number on the data branch when it wrote
 * it, and opened by a bot, is trusted; and a ticked box acts only for a sender with write
 * permission on the repository, as GitHub says.
 */
import type { Octokit } from "octokit";
import type { DashboardAction } from "../../report/dashboard.js";
import { recordedDashboardIssue } from "../../store/dashboard-record.js";
import type { Store } from "../../store/store.js";

/** Whether an issue is the dashboard Kaizen made: its recorded number, opened by a bot. */
export async function isKaizensDashboard(
  store: Pick<Store, "transact">,
  issue: { number: number; user: { type?: string } | null },
): Promise<boolean> {
  if (issue.user?.type !== "Bot") return false;
  return (await recordedDashboardIssue(store)) === issue.number;
}

/** Whether GitHub says `login` may write to the repository (admin, maintain or write). */
export async function canWrite(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  login: string,
): Promise<boolean> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      ...repo,
      username: login,
    });
    return data.permission === "admin" || data.permission === "write";
  } catch (error) {
    // Not a collaborator at all: GitHub answers 404.
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

/**
 * The identity of one tick, whatever delivery carries it: the repository, the issue, the edit's
 * `updated_at` and the boxes ticked. A redelivery and a replay under a new delivery id share it.
 */
export function tickId(
  repoId: number | string,
  issue: number,
  editedAt: string,
  actions: readonly DashboardAction[],
): string {
  return `dashboard-tick ${repoId} #${issue} ${editedAt} ${JSON.stringify(actions)}`;
}
