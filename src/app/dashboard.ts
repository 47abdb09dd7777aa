/** The dashboard issue of one repository, built from its store and written through the ensure. */
import type { Octokit } from "octokit";
import { ensureDashboard, renderDashboard, type DashboardTask } from "../github/dashboard.js";
import type { Store } from "../store/store.js";
import { loadTasks } from "../store/tasks.js";

export async function dashboardTasks(store: Store): Promise<DashboardTask[]> {
  const { tasks } = await loadTasks(store);
  return Promise.all(
    tasks.map(async (config) => {
      const [state, versions, jobs] = await Promise.all([store.getTaskState(config.name), store.listPromptVersions(config.name), store.listJobs(config.name)]);
      return { name: config.name, feedbackSinceOptimization: state?.feedback_since_optimization ?? 0, threshold: config.feedback_threshold, versions, jobs };
    }),
  );
}

/** Re-renders the dashboard after a job, a merge or a ticked box. */
export async function refreshDashboard(store: Store, octokit: Pick<Octokit, "request">, repo: { owner: string; repo: string }) {
  return ensureDashboard(octokit, repo, renderDashboard(await dashboardTasks(store)));
}
