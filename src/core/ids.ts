/**
 * Ids. A task's id is derived (UUIDv5 of the repository id and the task name), so it never
 * has to be stored and is the same in the app, the Action and the CLI. Every other record
 * gets a time-ordered UUIDv7, so listings sort by creation without reading the records.
 */
import { v5 as uuidv5, v7 as uuidv7 } from "uuid";

/** Kaizen's own UUIDv5 namespace (fixed forever: changing it would change every task id). */
export const KAIZEN_NAMESPACE = "6f1d2c0e-4b7a-5e39-9c21-8a3f0d5b7e44";

const TASK_IDS_KEPT = 50_000;
const taskIds = new Map<string, string>();

/**
 * @param repoId GitHub's numeric repository id, or a stable string for a local repository.
 * @example taskId(123456, "summarize_ticket") // always the same uuid
 */
export function taskId(repoId: number | string, taskName: string): string {
  // Asked on every request, once per task of a listing: a sha1 each is worth keeping.
  const name = `${repoId}/${taskName}`;
  let id = taskIds.get(name);
  if (id === undefined) {
    id = uuidv5(name, KAIZEN_NAMESPACE);
    if (taskIds.size >= TASK_IDS_KEPT) taskIds.clear();
    taskIds.set(name, id);
  }
  return id;
}

/** A new time-ordered id for feedback, traces, jobs and prompt versions. */
export function newId(): string {
  return uuidv7();
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(value: string): boolean {
  return UUID_PATTERN.test(value);
}
