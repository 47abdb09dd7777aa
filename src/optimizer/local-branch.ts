/**
 * Where there is no GitHub (kaizen optimize, kaizen serve), a shipped candidate becomes the
 * branch `kaizen/<task>`: one Kaizen commit with the new prompt on top of the default branch,
 * the local counterpart of the pull request's branch.
 */
import type { RepoStore } from "../store/repo-store.js";
import { taskBranch } from "../github/pulls.js";

export async function writeLocalTaskBranch(
  store: RepoStore,
  task: string,
  jobId: string,
  file: { path: string; text: string },
  title: string,
): Promise<string> {
  const backend = store.backend;
  const base = await backend.head(await backend.defaultBranch());
  const branch = taskBranch(task);
  const current = await backend.head(branch);
  await backend.commit({
    branch,
    parent: base,
    expected: current,
    changes: new Map([[file.path, file.text]]),
    message: `${title}\n\nKaizen-Job: ${jobId}`,
  });
  return branch;
}
