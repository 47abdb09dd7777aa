/**
 * Where GitHub would run the Action, `kaizen serve` runs the optimization itself: a worker in
 * the same process takes PENDING jobs one at a time. Without a job runner (no model endpoint
 * configured) jobs stay PENDING, visibly, until one is.
 */
import type { Job } from "../core/records.js";
import type { Store } from "../store/store.js";
import type { JobDispatcher } from "./repo-context.js";

/** Runs one job to a terminal state, recording its progress in the store. */
export type JobRunner = (store: Store, task: string, job: Job) => Promise<void>;

export class LocalWorker implements JobDispatcher {
  #store: Store;
  #runJob: JobRunner | null;
  #queue: { task: string; job: Job }[] = [];
  #running: Promise<void> | null = null;
  #log: (message: string) => void;

  constructor(store: Store, runJob: JobRunner | null, log: (message: string) => void = () => {}) {
    this.#store = store;
    this.#runJob = runJob;
    this.#log = log;
  }

  async dispatch(task: string, job: Job): Promise<void> {
    if (!this.#runJob) {
      this.#log(`job ${job.id} of ${task} stays PENDING: no optimizer is configured in this server`);
      return;
    }
    this.#queue.push({ task, job });
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
