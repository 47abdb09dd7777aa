/** After feedback is committed: start the task's optimization when its threshold is reached. */
import { isDue } from "../core/threshold.js";
import type { TaskState } from "../store/store.js";
import { startJob } from "./jobs.js";
import type { RepoContext } from "./repo-context.js";
import { listTaskConfigs } from "./tasks.js";

export async function triggerIfDue(repo: RepoContext, task: string, state: TaskState): Promise<void> {
  const config = (await listTaskConfigs(repo)).find((t) => t.name === task);
  if (!config || state.feedback_since_optimization < config.feedback_threshold) return;
  // Cheap check first; startJob re-checks inside its transaction, so racing instances start one job.
  if (!isDue(config, state.feedback_since_optimization, await repo.store.listJobs(task)).due) return;
  await startJob(repo, task, "auto_threshold");
}
