/**
 * `kaizen optimize` and `kaizen eval` read the task file (and optimize the prompt file) from the
 * default branch, as the app and the Action do, so a run on a laptop is the run CI would make.
 * An edit not yet committed is then not used: these notes say so, naming the file, which one is
 * used and why, instead of letting a changed `model_prices` or rubric silently not count.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { KaizenError } from "../core/errors.js";
import { loadTaskForJob } from "../jobs/plan.js";
import type { Store } from "../store/store.js";

const WHY = "Kaizen reads the default branch, as the app and the Action do";

/** One line per file that differs from its committed version (empty when none does). */
export async function uncommittedNotes(
  store: Store,
  repoDir: string,
  task: string,
  promptPath: string | null,
): Promise<string[]> {
  const branch = await store.defaultBranch();
  const taskFile = (await store.listTaskFiles()).find(
    (f) => f.path.replace(/\.ya?ml$/, "") === `.kaizen/tasks/${task}`,
  );
  const notes: string[] = [];
  for (const [file, what] of [
    [taskFile?.path ?? null, "task file"],
    [promptPath, "prompt file"],
  ] as const) {
    if (file === null) continue;
    const working = await readFile(path.join(repoDir, file), "utf8").catch(() => null);
    if (working === null || working === (await store.readRepoFile(file))) continue;
    notes.push(
      `${file} differs from the committed ${what}: this run uses the one on ${branch} (${WHY}); commit your change to use it.`,
    );
  }
  return notes;
}

/** Why a task is not found on the default branch when its file is in the working tree, or null. */
export async function uncommittedTaskFile(
  store: Store,
  repoDir: string,
  task: string,
): Promise<string | null> {
  for (const file of [`.kaizen/tasks/${task}.yml`, `.kaizen/tasks/${task}.yaml`]) {
    const working = await readFile(path.join(repoDir, file), "utf8").catch(() => null);
    if (working !== null && (await store.readRepoFile(file)) === null)
      return `task ${task}: ${file} is in the working tree but not committed on ${await store.defaultBranch()} (${WHY}): commit it, then run again`;
  }
  return null;
}

/**
 * Before a run: refuses a task whose file is only in the working tree, and writes a note for each
 * file the run reads from the default branch that differs in the working tree (the prompt file
 * only when the run reads it from there: `kaizen eval` measures the working tree's).
 */
export async function checkCommittedFiles(
  store: Store,
  repoDir: string,
  task: string,
  options: { promptFromBranch: boolean },
  note: (line: string) => void,
): Promise<void> {
  const missing = await uncommittedTaskFile(store, repoDir, task);
  if (missing) throw new KaizenError(missing);
  const { config } = await loadTaskForJob(store, task);
  const promptPath = options.promptFromBranch ? config.prompt_path : null;
  for (const line of await uncommittedNotes(store, repoDir, task, promptPath)) note(line);
}
