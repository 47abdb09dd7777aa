/**
 * What the API needs to serve one repository: its store, its ingestion queue, and how to start
 * an optimization there. The GitHub App builds one per installed repository; `kaizen serve`
 * has exactly one.
 */
import type { Dispatcher, Shipper } from "../jobs/index.js";
import type { Store } from "../store/store.js";
import type { Estimator } from "./estimate.js";
import type { Ingestion } from "./ingestion.js";

export interface RepoContext {
  /** GitHub's repository id, or `local`: the first part of its API keys, and of task ids. */
  repoKey: string;
  fullName: string;
  store: Store;
  ingestion: Ingestion;
  /** Gets a PENDING job run (a workflow_dispatch, or kaizen serve's worker). */
  dispatcher: Dispatcher;
  /** Delivers a prompt change: the task's pull request on GitHub, its branch locally. */
  shipper: Shipper | null;
  /**
   * Records a merged candidate as active before a write (activation, a job); locally, where no
   * webhook reports a merge, this is how it becomes active on the data branch. Reads show the
   * merge from a view instead, and write nothing (`ensureVersions`).
   */
  reconcile?: (task: string) => Promise<void>;
  /**
   * Makes the optimize answer's cost estimate: kaizen serve plans it on a thread; without one,
   * the request plans it in process.
   */
  estimate?: Estimator;
  /**
   * Proposes the files of a new task for the default branch as a pull request (branch
   * `kaizen-new/<task>`), where
   * branch protection refuses a direct commit; null where there is no such thing (local mode).
   * @returns the pull request's URL
   */
  proposeChange:
    ((task: string, files: Record<string, string>, title: string, body: string) => Promise<string>) | null;
}

/** Finds the repository an API key belongs to. */
export interface RepoDirectory {
  byRepoKey(repoKey: string): Promise<RepoContext | null>;
}
