/**
 * What the API needs to serve one repository: its store, its ingestion queue, and how to start
 * an optimization there. The GitHub App builds one per installed repository; `kaizen serve`
 * has exactly one.
 */
import type { Job } from "../core/records.js";
import type { Store } from "../store/store.js";
import type { Ingestion } from "./ingestion.js";

export interface JobDispatcher {
  /** Starts the run of a PENDING job (a workflow_dispatch, or the local worker). */
  dispatch(task: string, job: Job): Promise<void>;
}

/** Re-opens the pull request of a PR_FAILED job from its stored version. */
export interface PullRequestRetrier {
  /** @returns the pull request's URL; throws with GitHub's reason when it refuses again. */
  retry(task: string, job: Job): Promise<string>;
}

export interface RepoContext {
  /** GitHub's repository id, or `local`: the first part of its API keys, and of task ids. */
  repoKey: string;
  fullName: string;
  store: Store;
  ingestion: Ingestion;
  dispatcher: JobDispatcher;
  pullRequests: PullRequestRetrier | null;
  /**
   * Proposes files for the default branch as a pull request (branch `kaizen/<name>`), where
   * branch protection refuses a direct commit; null where there is no such thing (local mode).
   * @returns the pull request's URL
   */
  proposeChange:
    ((name: string, files: Record<string, string>, title: string, body: string) => Promise<string>) | null;
}

/** Finds the repository an API key belongs to. */
export interface RepoDirectory {
  byRepoKey(repoKey: string): Promise<RepoContext | null>;
}
