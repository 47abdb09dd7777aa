/**
 * The tasks of a repository, read from `.kaizen/tasks/` on the default branch: the valid ones
 * parsed, the broken ones reported (never silently dropped), for every surface that lists them.
 */
import type { ConfigIssue } from "../core/errors.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { parseTaskConfig } from "../core/task-config.js";
import type { Job, PromptVersion } from "../core/records.js";
import type { Store, TaskFile, TaskState } from "./store.js";

export interface RepoTasks {
  tasks: TaskConfig[];
  /** Files that did not parse, with every issue. */
  broken: { path: string; issues: ConfigIssue[] }[];
}

/** Parsed task files by blob sha and path (the issues name the file); the oldest go first. */
const parsed = new Map<string, ReturnType<typeof parseTaskConfig>>();
const PARSED_KEPT = 20_000;

/** A file parsed once per content: listing 10,000 tasks parses only the files that changed. */
function parseOnce(file: TaskFile): ReturnType<typeof parseTaskConfig> {
  const key = `${file.sha}\n${file.path}`;
  const known = parsed.get(key);
  if (known) return known;
  const result = parseOrReport(file.text, file.path);
  parsed.set(key, result);
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  return result;
}

/**
 * @example
 * const { tasks, broken } = await loadTasks(store);
 */
export async function loadTasks(store: Store, ref?: string): Promise<RepoTasks> {
  const tasks: TaskConfig[] = [];
  const broken: RepoTasks["broken"] = [];
  for (const file of await store.listTaskFiles(ref)) {
    const { config, issues } = parseOnce(file);
    if (config) tasks.push(config);
    else broken.push({ path: file.path, issues });
  }
  tasks.sort((a, b) => a.name.localeCompare(b.name));
  return { tasks, broken };
}

/**
 * A file the parser could not handle at all is that file's error, never every task's: one
 * broken task file must not take the list (and every request that needs it) down with it.
 */
function parseOrReport(text: string, file: string): ReturnType<typeof parseTaskConfig> {
  try {
    return parseTaskConfig(text, file);
  } catch (error) {
    const message = `could not be read: ${(error as Error).message}`;
    return {
      config: null,
      issues: [{ file, line: 1, column: 1, field: "(file)", message, severity: "error" }],
    };
  }
}

export interface TaskOverview {
  config: TaskConfig;
  state: TaskState | null;
  /** Newest first. */
  versions: PromptVersion[];
  /** Newest first. */
  jobs: Job[];
}

/**
 * Each valid task with its counters, versions and jobs: what `kaizen status` and the dashboard
 * show. `versionsOf` reads a task's versions another way (as a local merge left them, unwritten).
 */
export async function taskOverviews(
  store: Store,
  versionsOf: (task: string) => Promise<PromptVersion[]> = (task) => store.listPromptVersions(task),
): Promise<{ overviews: TaskOverview[]; broken: RepoTasks["broken"] }> {
  const { tasks, broken } = await loadTasks(store);
  const overviews = await Promise.all(
    tasks.map(async (config) => {
      const [state, versions, jobs] = await Promise.all([
        store.getTaskState(config.name),
        versionsOf(config.name),
        store.listJobs(config.name),
      ]);
      return { config, state, versions, jobs };
    }),
  );
  return { overviews, broken };
}
