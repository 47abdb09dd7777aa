/**
 * The job runner of `kaizen serve`'s local worker: the same pipeline as `kaizen optimize`,
 * ending in the `kaizen/<task>` branch instead of a pull request.
 */
import type { Job } from "../core/records.js";
import type { RepoStore } from "../store/repo-store.js";
import type { Store } from "../store/store.js";
import { writeLocalTaskBranch } from "./local-branch.js";
import { finishJob, runOptimizationJob } from "./pipeline.js";

/** @param seed a fixed seed for every job (tests, reproducible demos); default each job's id */
export function localJobRunner(
  endpoint: { apiKey: string; baseURL?: string },
  cacheDir: string | null,
  seed?: string,
) {
  return async (store: Store, task: string, job: Job): Promise<void> => {
    const outcome = await runOptimizationJob({
      store,
      task,
      jobId: job.id,
      endpoint,
      cacheDir,
      ...(seed ? { seed } : {}),
    });
    if (!outcome.ship) return;
    try {
      const branch = await writeLocalTaskBranch(
        store as RepoStore,
        task,
        job.id,
        outcome.ship,
        `Kaizen: better prompt for ${task}`,
      );
      await finishJob(store, job.id, { prUrl: null, step: `Branch ${branch} written` });
    } catch (error) {
      await finishJob(store, job.id, { failed: `could not write the branch: ${(error as Error).message}` });
    }
  };
}
