/**
 * Which tasks this run optimizes. Named tasks must exist (a typo is an error that suggests the
 * name meant); without names, every task whose threshold is reached and that has no job in
 * flight. `plan` mode prints this list for a matrix, one runner per task.
 */
import { closestName } from "../core/suggest.js";
import { isDue } from "../core/threshold.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import type { Store } from "../store/store.js";
import { loadTasks } from "../store/tasks.js";
import { reapStale, staleReason } from "../jobs/index.js";
import { InputError } from "./inputs.js";
import type { Trigger } from "./trigger.js";

export interface PlannedTask {
  config: TaskConfig;
  /** Why the task is (or, with force, would not be) optimized now. */
  reason: string;
}

export interface Plan {
  planned: PlannedTask[];
  skipped: { task: string; reason: string }[];
}

/**
 * A dispatch that names its job (the app's workflow_dispatch) plans exactly that job's task
 * while the job waits for a runner: the app's own PENDING job is the run's work, not a job "in
 * flight" that blocks it.
 */
export async function planTasks(store: Store, trigger: Trigger, force: boolean): Promise<Plan> {
  const named = trigger.tasks;
  const { tasks, broken } = await loadTasks(store);
  const byName = new Map(tasks.map((t) => [t.name, t]));
  for (const name of named) {
    if (byName.has(name)) continue;
    if (broken.some((b) => b.path.endsWith(`/${name}.yml`) || b.path.endsWith(`/${name}.yaml`))) {
      throw new InputError(
        `task "${name}" has errors in its configuration; run \`npx kaizen validate\` to see them`,
      );
    }
    const hint = closestName(name, [...byName.keys()]);
    const known =
      tasks.length > 0
        ? `tasks in this repository: ${[...byName.keys()].join(", ")}`
        : "this repository has no task in .kaizen/tasks/";
    throw new InputError(`unknown task "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}; ${known}`);
  }
  const planned: PlannedTask[] = [];
  const skipped: { task: string; reason: string }[] = [];
  if (trigger.jobId) {
    const found = await store.getJob(trigger.jobId);
    if (!found) throw new InputError(`job ${trigger.jobId} does not exist in ${store.label}`);
    const config = byName.get(found.task);
    const stale = staleReason(found.job, new Date());
    if (config && found.job.status === "PENDING" && !stale)
      planned.push({ config, reason: `dispatched job ${found.job.id}` });
    else
      skipped.push({
        task: found.task,
        reason: stale ?? `job ${found.job.id} is already ${found.job.status}`,
      });
    return { planned, skipped };
  }
  await reapStale(store);
  for (const config of named.length > 0 ? named.map((n) => byName.get(n)!) : tasks) {
    const state = await store.getTaskState(config.name);
    const check = isDue(config, state?.feedback_since_optimization ?? 0, await store.listJobs(config.name));
    if (check.inFlight) skipped.push({ task: config.name, reason: check.reason! });
    else if (check.due) planned.push({ config, reason: `threshold reached (${check.progress})` });
    else if (force && named.length > 0) planned.push({ config, reason: `forced (${check.progress})` });
    else skipped.push({ task: config.name, reason: check.reason! });
  }
  return { planned, skipped };
}
