/**
 * Which issue is Kaizen's dashboard. Anyone can open an issue with its title and hidden marker,
 * or edit one: only the issue Kaizen made, recorded by number on the data branch when it wrote
 * it, and opened by a bot, is trusted; and a ticked box acts only for a sender with write
 * permission on the repository, as GitHub says.
 */
import type { Octokit } from "octokit";
import { z } from "zod";
import type { Store } from "../../store/store.js";

/** Kaizen's own record of its dashboard issue (outside `state/`, whose files are per task). */
const DASHBOARD_RECORD = "github/dashboard.json";
const DashboardRecord = z.object({ issue_number: z.number().int().positive() });

/** Remembers the dashboard's issue number; writes nothing when it is already recorded. */
export async function recordDashboardIssue(store: Store, issueNumber: number): Promise<void> {
  await store.transact(`Record the dashboard issue #${issueNumber}`, async (tx) => {
    const current = await tx.readJson(DASHBOARD_RECORD, DashboardRecord);
    if (current?.issue_number !== issueNumber)
      tx.writeJson(DASHBOARD_RECORD, DashboardRecord, { issue_number: issueNumber });
  });
}

/** Whether an issue is the dashboard Kaizen made: its recorded number, opened by a bot. */
export async function isKaizensDashboard(
  store: Store,
  issue: { number: number; user: { type?: string } | null },
): Promise<boolean> {
  if (issue.user?.type !== "Bot") return false;
  let recorded: z.infer<typeof DashboardRecord> | null = null;
  await store.transact("Read the dashboard issue record", async (tx) => {
    recorded = await tx.readJson(DASHBOARD_RECORD, DashboardRecord);
  });
  return (recorded as z.infer<typeof DashboardRecord> | null)?.issue_number === issue.number;
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
