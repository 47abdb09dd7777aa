/**
 * The dashboard issue of one repository, built from its store and written through the ensure;
 * refreshed after every job, merge and ticked box, by whichever process caused it.
 */
import type { Octokit } from "octokit";
import { ensureDashboard } from "../github/dashboard.js";
import { renderDashboard, type DashboardTask } from "../report/dashboard.js";
import { readCanaryView } from "../store/canary-state.js";
import { recordDashboardIssue } from "../store/dashboard-record.js";
import type { Store } from "../store/store.js";
import { taskOverviews } from "../store/tasks.js";

export async function dashboardTasks(store: Store): Promise<DashboardTask[]> {
  const { overviews } = await taskOverviews(store);
  return Promise.all(
    overviews.map(async ({ config, state, versions, jobs }) => {
      const canary = await readCanaryView(store, config, versions);
      return {
        name: config.name,
        feedbackSinceOptimization: state?.feedback_since_optimization ?? 0,
        threshold: config.feedback_threshold,
        versions,
        jobs,
        // Only a canary with a candidate to compare is news for the reader.
        canary: canary?.candidate_version_id ? canary : null,
      };
    }),
  );
}

/** Re-renders the dashboard after a job, a merge or a ticked box. */
export async function refreshDashboard(
  store: Store,
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
) {
  const result = await ensureDashboard(octokit, repo, renderDashboard(await dashboardTasks(store)));
  await recordDashboardIssue(store, result.number);
  return result;
}
