/**
 * Where GitHub would run the Action, `kaizen serve` runs the optimization itself: a worker in
 * the same process takes dispatched jobs one at a time and runs each through src/jobs on a
 * thread of its own (job-thread.ts), ending in the `kaizen/<task>` branch. Without a job runner
 * (no model endpoint configured) jobs stay PENDING, visibly, until one is.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { Dispatcher, JobRef, JobTiming } from "../jobs/index.js";
import type { Job } from "../core/records.js";
import type { LocalGitStore } from "../store/local-git-store.js";
import type { JobThreadInput } from "./job-thread.js";
import { threadModule } from "./thread-module.js";

/**
 * Runs one dispatched job to its end, recording its progress in the store; `log` is the server's
 * console, told when the job starts (with its estimate) and how it ended (with its spend).
 */
export type JobRunner = (
  store: LocalGitStore,
  task: string,
  job: Job,
  log: (message: string) => void,
) => Promise<void>;

/**
 * @param seed a fixed seed for every job (tests, reproducible demos); default each job's id
 * @example
 * const worker = new LocalWorker(store, localJobRunner({ apiKey, baseURL }, cacheDir));
 */
export function localJobRunner(
  endpoint: { apiKey: string; baseURL?: string },
  cacheDir: string | null,
  options: { seed?: string; timing?: JobTiming; retry?: JobThreadInput["retry"] } = {},
): JobRunner {
  return async (store, task, job, log) => {
    const input: JobThreadInput = {
      repoDir: store.dir,
      task,
      job,
      endpoint,
      cacheDir,
      ...(options.seed ? { seed: options.seed } : {}),
      ...(options.timing ? { timing: options.timing } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    };
    const thread = new Worker(jobThread.url, { workerData: input, execArgv: jobThread.execArgv });
    // The thread's lines for the server's console (the job's start and end).
    thread.on("message", (line: string) => log(line));
    const [code] = (await once(thread, "exit")) as [number];
    if (code !== 0) throw new Error(`the job's thread exited with code ${code}`);
  };
}

/** The job thread's module (src/ under tsx, or its bundle in dist/). */
const jobThread = threadModule("job-thread");

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

  /** Queues the job and returns at once: the queue runs it in the background. */
  dispatch(ref: JobRef): Promise<void> {
    if (!this.#runJob) {
      this.#log(`job ${ref.job.id} of ${ref.task} stays PENDING: no optimizer is configured in this server`);
    } else {
      this.#queue.push(ref);
      this.#running ??= this.#drain();
    }
    return Promise.resolve();
  }

  /** Resolves when every dispatched job has finished. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        try {
          await this.#runJob!(this.#store, next.task, next.job, this.#log);
        } catch (error) {
          this.#log(`job ${next.job.id} of ${next.task} ended FAILED: ${(error as Error).message}`);
        }
      }
    } finally {
      this.#running = null;
    }
  }
}
