/**
 * The tasks of a repository, read from `.kaizen/tasks/` on the default branch: the valid ones
 * parsed, the broken ones reported (never silently dropped), for every surface that lists them.
 */
import type { ConfigIssue } from "../core/errors.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { parseTaskConfig } from "../core/task-config.js";
import type { Store } from "./store.js";

export interface RepoTasks {
  tasks: TaskConfig[];
  /** Files that did not parse, with every issue. */
  broken: { path: string; issues: ConfigIssue[] }[];
}

/**
 * @example
 * const { tasks, broken } = await loadTasks(store);
 */
export async function loadTasks(store: Store, ref?: string): Promise<RepoTasks> {
  const tasks: TaskConfig[] = [];
  const broken: RepoTasks["broken"] = [];
  for (const file of await store.listTaskFiles(ref)) {
    const { config, issues } = parseTaskConfig(file.text, file.path);
    if (config) tasks.push(config);
    else broken.push({ path: file.path, issues });
  }
  tasks.sort((a, b) => a.name.localeCompare(b.name));
  return { tasks, broken };
}
