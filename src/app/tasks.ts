/**
 * Tasks as the API shows them: the configuration from `.kaizen/tasks/<name>.yml` on the
 * default branch, plus what Kaizen derived from its data (feedback count, threshold progress,
 * the active version's score). A task is addressed by its id or its name.
 */
import { newId, taskId } from "../core/ids.js";
import {
  PromptVersion as PromptVersionRecord,
  Task as TaskRecord,
  type PromptVersion,
  type Task,
} from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { currentVersions } from "../jobs/index.js";
import { layout } from "../store/layout.js";
import { versionsIn } from "../store/prompt-versions.js";
import { loadTasks } from "../store/tasks.js";
import { HttpError } from "./api/http.js";
import type { RepoContext } from "./repo-context.js";

/**
 * Every request needs the task list, and reading it costs requests to GitHub (or processes
 * locally); it changes rarely, so it is kept for a few seconds. Creating a task through the API
 * and a push webhook drop it at once.
 */
const TASK_CACHE_MS = 5_000;
const taskCache = new WeakMap<RepoContext, { until: number; tasks: Promise<TaskConfig[]> }>();

export async function listTaskConfigs(ctx: RepoContext): Promise<TaskConfig[]> {
  const cached = taskCache.get(ctx);
  if (cached && cached.until > Date.now()) return cached.tasks;
  const tasks = loadTasks(ctx.store).then((loaded) => loaded.tasks);
  taskCache.set(ctx, { until: Date.now() + TASK_CACHE_MS, tasks });
  tasks.catch(() => taskCache.delete(ctx));
  return tasks;
}

/** Forget the cached task list (a task was created, or the default branch changed). */
export function forgetTasks(ctx: RepoContext): void {
  taskCache.delete(ctx);
}

/** The task named by `idOrName`, or a 404 (also for a task of another repository). */
export async function resolveTask(ctx: RepoContext, idOrName: string): Promise<TaskConfig> {
  const tasks = await listTaskConfigs(ctx);
  const found = tasks.find(
    (t) => t.name === idOrName || taskId(ctx.repoKey, t.name) === idOrName.toLowerCase(),
  );
  if (!found) throw new HttpError(404, `task ${idOrName} not found`);
  return found;
}

export async function taskView(ctx: RepoContext, config: TaskConfig): Promise<Task> {
  return (await taskViews(ctx, [config]))[0]!;
}

/** The tasks as the API shows them, a page at a time: one summary read for the whole page. */
export async function taskViews(ctx: RepoContext, configs: readonly TaskConfig[]): Promise<Task[]> {
  const summaries = await ctx.store.taskSummaries(configs.map((c) => c.name));
  // Where a person may have merged a candidate with no webhook to say so (kaizen serve), a task
  // with a newer candidate is shown as its reads show it; the others cost nothing more.
  const merged = new Map<string, PromptVersion | null>();
  if (ctx.reconcile)
    await Promise.all(
      configs
        .filter((c) => summaries.get(c.name)?.newerCandidate)
        .map(async (c) =>
          merged.set(c.name, (await shownVersions(ctx, c.name)).find((v) => v.status === "active") ?? null),
        ),
    );
  return configs.map((config) => {
    const summary = summaries.get(config.name);
    const state = summary?.state ?? null;
    const active = merged.has(config.name) ? merged.get(config.name)! : (summary?.active ?? null);
    const since = state?.feedback_since_optimization ?? 0;
    return TaskRecord.parse({
      ...config,
      id: taskId(ctx.repoKey, config.name),
      // Until Kaizen stores anything for a task, it has no creation time of its own.
      created_at: state?.created_at ?? new Date().toISOString(),
      feedback_count: state?.feedback_retained ?? 0,
      last_optimization: state?.last_optimization ?? null,
      active_prompt_score: active?.eval_score ?? null,
      threshold_progress: `${since}/${config.feedback_threshold}`,
    });
  });
}

/**
 * The task's versions, newest first; a task that has none yet gets its baseline (version 1,
 * active) from the file at `prompt_path`, once, so every task read through the API has one.
 * Where no webhook reports a merge (`kaizen serve`), a candidate a person merged shows as active
 * from a view that writes nothing: a read never commits "Activate prompt version". A route that
 * writes anyway (activation, a job) passes `reconcile` and records the merge first.
 */
export async function ensureVersions(
  ctx: RepoContext,
  config: TaskConfig,
  options: { reconcile?: boolean } = {},
): Promise<PromptVersion[]> {
  if (options.reconcile) await ctx.reconcile?.(config.name);
  const versions = options.reconcile
    ? await ctx.store.listPromptVersions(config.name)
    : await shownVersions(ctx, config.name);
  if (versions.length > 0 || config.prompt_path === null) return versions;
  const text = await ctx.store.readRepoFile(config.prompt_path);
  if (text === null) return versions;
  return ctx.store.transact(`Record the baseline prompt of ${config.name}`, async (tx) => {
    if ((await tx.list(layout.promptsDir(config.name))).length === 0)
      tx.writeJson(
        layout.prompt(config.name, 1),
        PromptVersionRecord,
        baselineVersion(ctx, config.name, text),
      );
    return (await versionsIn(tx, config.name)).reverse();
  });
}

/** The versions a read shows: with a merge no webhook reports, the merged candidate as active. */
function shownVersions(ctx: RepoContext, task: string): Promise<PromptVersion[]> {
  return ctx.reconcile ? currentVersions(ctx.store, task) : ctx.store.listPromptVersions(task);
}

export function baselineVersion(ctx: RepoContext, task: string, text: string): PromptVersion {
  return {
    id: newId(),
    task_id: taskId(ctx.repoKey, task),
    version_number: 1,
    prompt_text: text,
    eval_score: null,
    status: "active",
    optimizer: null,
    dspy_version: null,
    created_at: new Date().toISOString(),
    job_id: null,
  };
}
