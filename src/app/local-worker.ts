/**
 * Where GitHub would run the Action, `kaizen serve` runs the optimization itself: a worker in
 * the same process takes dispatched jobs one at a time and runs each through src/jobs, ending
 * in the `kaizen/<task>` branch. Without a job runner (no model endpoint configured) jobs stay
 * PENDING, visibly, until one is.
 */
import {
  claimJob,
  executeJob,
  localBranchShipper,
  type Dispatcher,
  type JobRef,
  type JobTiming,
} from "../jobs/index.js";
import type { Job } from "../core/records.js";
import type { LocalGitStore } from "../store/local-git-store.js";

/** Runs one dispatched job to its end, recording its progress in the store. */
export type JobRunner = (store: LocalGitStore, task: string, job: Job) => Promise<void>;

/**
 * @param seed a fixed seed for every job (tests, reproducible demos); default each job's id
 * @example
 * const worker = new LocalWorker(store, localJobRunner({ apiKey, baseURL }, cacheDir));
 */
export function localJobRunner(
  endpoint: { apiKey: string; baseURL?: string },
  cacheDir: string | null,
  options: { seed?: string; timing?: JobTiming } = {},
): JobRunner {
  return async (store, _task, job) => {
    const claim = await claimJob(store, { jobId: job.id }, { timing: options.timing });
    if (!claim.claimed) return;
    await executeJob(store, claim, {
      shipper: localBranchShipper(store),
      run: { endpoint, cacheDir, ...(options.seed ? { seed: options.seed } : {}), timing: options.timing },
    });
  };
}

export class LocalWorker implements Dispatcher {
  #store: LocalGitStore;
  #runJob: JobRunner | null;
  #queue: JobRef[] = [];
  #running: Promise<void> | null = null;
  #log: (message: string) => void;

  constructor(store: LocalGitStore, runJob: JobRunner | null, log: (message: string) => void = () => {}) {
    this.#store = store;
    this.#runJob = runJob;
    this.#log = log;
  }

  async dispatch(ref: JobRef): Promise<void> {
    if (!this.#runJob) {
      this.#log(`job ${ref.job.id} of ${ref.task} stays PENDING: no optimizer is configured in this server`);
      return;
    }
    this.#queue.push(ref);
    this.#running ??= this.#drain();
  }

  /** Resolves when every dispatched job has finished. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        try {
          await this.#runJob!(this.#store, next.task, next.job);
        } catch (error) {
          this.#log(`job ${next.job.id} of ${next.task} failed: ${(error as Error).message}`);
        }
      }
    } finally {
      this.#running = null;
    }
  }
}
