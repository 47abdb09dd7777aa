/**
 * Which prompt version is active, and the file at `prompt_path` kept in line with it:
 * - a merged Kaizen pull request activates what was merged (the file at the merge commit), so
 *   a person's edit in review is what goes live, recorded as its own version;
 * - `activate` (the API, `kaizen prompts activate|rollback`) moves the pointer at once and
 *   ships the file through the task's shipper, so file and pointer disagree only until review;
 * - locally, where no webhook reports a merge, a candidate whose text reached the default
 *   branch is activated by whichever process next reads the task's prompt.
 */
import { NotFoundError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { PromptVersion } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { detectPromptFormat, readPrompt, writePrompt } from "../render/index.js";
import { layout } from "../store/layout.js";
import { activatePromptVersion, versionsIn } from "../store/prompt-versions.js";
import type { DataTransaction, Store } from "../store/store.js";
import { loadTasks } from "../store/tasks.js";
import type { Shipped, Shipper } from "./ports.js";

/** The template in the task's prompt file at `ref` (a branch or commit), or null. */
async function templateAt(store: Store, task: string, ref?: string): Promise<string | null> {
  const config = (await loadTasks(store, ref)).tasks.find((t) => t.name === task);
  if (!config?.prompt_path) return null;
  const text = await store.readRepoFile(config.prompt_path, ref);
  if (text === null) return null;
  return readPrompt(text, config.prompt_format ?? detectPromptFormat(config.prompt_path, text));
}

/** Makes `target` active in the transaction, archiving whichever was active. */
function activateIn(tx: DataTransaction, task: string, versions: PromptVersion[], target: PromptVersion) {
  for (const v of versions)
    if (v.id !== target.id && v.status === "active")
      tx.writeJson(layout.prompt(task, v.version_number), PromptVersion, { ...v, status: "archived" });
  tx.writeJson(layout.prompt(task, target.version_number), PromptVersion, { ...target, status: "active" });
}

/**
 * A Kaizen pull request was merged: the text at the merge commit becomes active. When a person
 * changed it in review, their text is recorded as a new version (the candidate is archived).
 * @example
 * await activateMerged(store, "summarize", candidateId, pr.merge_commit_sha);
 */
export async function activateMerged(
  store: Store,
  task: string,
  versionId: string,
  mergeCommit: string | null,
): Promise<PromptVersion> {
  // A merge commit GitHub cannot show (yet) leaves Kaizen's own text as the best knowledge.
  const merged = mergeCommit ? await templateAt(store, task, mergeCommit).catch(() => null) : null;
  return store.transact(`Activate the merged prompt of ${task}`, async (tx) => {
    const versions = await versionsIn(tx, task);
    const candidate = versions.find((v) => v.id === versionId);
    if (!candidate) throw new NotFoundError(`prompt version ${versionId} of task ${task} not found`);
    if (merged === null || merged === candidate.prompt_text) {
      activateIn(tx, task, versions, candidate);
      return { ...candidate, status: "active" as const };
    }
    tx.writeJson(layout.prompt(task, candidate.version_number), PromptVersion, {
      ...candidate,
      status: "archived",
    });
    const edited = PromptVersion.parse({
      id: newId(),
      task_id: candidate.task_id,
      version_number: Math.max(...versions.map((v) => v.version_number)) + 1,
      prompt_text: merged,
      eval_score: null,
      status: "active",
      optimizer: "kaizen, edited in review",
      created_at: new Date().toISOString(),
      job_id: candidate.job_id,
    });
    activateIn(
      tx,
      task,
      versions.filter((v) => v.id !== candidate.id),
      edited,
    );
    return edited;
  });
}

/**
 * Moves the active pointer to `versionId` now, and ships the prompt file with that text, so the
 * repository follows after review. No shipper (or the file already says it): the pointer only.
 * @example
 * const { active, shipped } = await activateVersion(store, shipper, config, versionId);
 */
export async function activateVersion(
  store: Store,
  shipper: Shipper | null,
  config: TaskConfig,
  versionId: string,
): Promise<{ active: PromptVersion; shipped: Shipped | null }> {
  const { active } = await activatePromptVersion(store, config.name, versionId);
  if (!shipper || !config.prompt_path || active.prompt_text === null) return { active, shipped: null };
  const fileText = await store.readRepoFile(config.prompt_path);
  const format = config.prompt_format ?? detectPromptFormat(config.prompt_path, fileText ?? "");
  if (fileText !== null && readPrompt(fileText, format) === active.prompt_text)
    return { active, shipped: null };
  const shipped = await shipper.ship({
    task: config.name,
    jobId: active.job_id ?? active.id,
    baseBranch: config.github_base_branch ?? (await store.defaultBranch()),
    files: {
      [config.prompt_path]:
        fileText === null ? active.prompt_text : writePrompt(fileText, format, active.prompt_text),
    },
    title: `Kaizen: activate version ${active.version_number} of ${config.name}`,
    body: `Version ${active.version_number} of **${config.name}** was made active (the API serves it from now on). This pull request brings \`${config.prompt_path}\` in line with it.\n`,
  });
  return { active, shipped };
}

/**
 * Where no webhook reports merges (a local repository): a candidate whose text is now in the
 * prompt file on the default branch was merged, and becomes active.
 * @returns the version activated, or null when nothing changed
 */
export async function activateMergedCandidates(store: Store, task: string): Promise<PromptVersion | null> {
  const versions = await store.listPromptVersions(task);
  const merged = mergedCandidate(versions, await templateIfCandidates(store, task, versions));
  if (!merged) return null;
  return (await activatePromptVersion(store, task, merged.id)).active;
}

/**
 * A task's versions as they stand, newest first, without writing anything: a candidate that a
 * person merged (its text is the prompt file on the default branch) shows as active, and the
 * version it replaces as archived. What `kaizen status` and `kaizen prompts list` show: a read
 * never commits, yet is current the moment the merge lands.
 */
export async function currentVersions(store: Store, task: string): Promise<PromptVersion[]> {
  const versions = await store.listPromptVersions(task);
  const merged = mergedCandidate(versions, await templateIfCandidates(store, task, versions));
  if (!merged) return versions;
  return versions.map((v) =>
    v.id === merged.id
      ? { ...v, status: "active" as const }
      : v.status === "active"
        ? { ...v, status: "archived" as const }
        : v,
  );
}

async function templateIfCandidates(
  store: Store,
  task: string,
  versions: readonly PromptVersion[],
): Promise<string | null> {
  return versions.some((v) => v.status === "candidate") ? templateAt(store, task) : null;
}

function mergedCandidate(versions: readonly PromptVersion[], template: string | null): PromptVersion | null {
  if (template === null) return null;
  return versions.find((v) => v.status === "candidate" && v.prompt_text === template) ?? null;
}
