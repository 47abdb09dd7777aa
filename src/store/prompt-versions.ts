/**
 * The rules of prompt-version status, written once for every caller (the API's activate, the
 * webhook that sees a Kaizen pull request merged or closed): at most one version of a task is
 * `active`; activating one archives the one that was active, in the same commit.
 */
import { NotFoundError } from "../core/errors.js";
import { PromptVersion } from "../core/records.js";
import { layout } from "./layout.js";
import type { DataTransaction, Store } from "./store.js";

/** Every version of a task inside a transaction, oldest first. */
export async function versionsIn(tx: DataTransaction, task: string): Promise<PromptVersion[]> {
  const versions: PromptVersion[] = [];
  for (const path of await tx.list(layout.promptsDir(task))) {
    const version = await tx.readJson(path, PromptVersion);
    if (version) versions.push(version);
  }
  return versions.sort((a, b) => a.version_number - b.version_number);
}

/**
 * Makes `versionId` the task's active version and archives the previously active one, in one
 * commit. Activating the version that is already active changes nothing (no commit).
 *
 * @example
 * const { active, archived } = await activatePromptVersion(store, "summarize", versionId);
 */
export async function activatePromptVersion(
  store: Store,
  task: string,
  versionId: string,
): Promise<{ active: PromptVersion; archived: PromptVersion[] }> {
  return store.transact(`Activate prompt version of ${task}`, async (tx) => {
    const versions = await versionsIn(tx, task);
    const target = versions.find((v) => v.id === versionId);
    if (!target) throw new NotFoundError(`prompt version ${versionId} of task ${task} not found`);
    const archived: PromptVersion[] = [];
    for (const version of versions) {
      if (version.id !== versionId && version.status === "active") {
        const changed = { ...version, status: "archived" as const };
        tx.writeJson(layout.prompt(task, version.version_number), PromptVersion, changed);
        archived.push(changed);
      }
    }
    const active = { ...target, status: "active" as const };
    if (target.status !== "active")
      tx.writeJson(layout.prompt(task, target.version_number), PromptVersion, active);
    return { active, archived };
  });
}

/** Archives one version (a Kaizen pull request closed without merging); idempotent. */
export async function archivePromptVersion(
  store: Store,
  task: string,
  versionId: string,
): Promise<PromptVersion> {
  return store.transact(`Archive prompt version of ${task}`, async (tx) => {
    const target = (await versionsIn(tx, task)).find((v) => v.id === versionId);
    if (!target) throw new NotFoundError(`prompt version ${versionId} of task ${task} not found`);
    const archived = { ...target, status: "archived" as const };
    if (target.status !== "archived")
      tx.writeJson(layout.prompt(task, target.version_number), PromptVersion, archived);
    return archived;
  });
}

/** The task's active version, or null before it has one. */
export async function activePromptVersion(store: Store, task: string): Promise<PromptVersion | null> {
  return (await store.listPromptVersions(task)).find((v) => v.status === "active") ?? null;
}
