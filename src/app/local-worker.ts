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
  options: { seed?: string; timing?: JobTiming } = {},
): JobRunner {
  return async (store, task, job, log) => {
    const claim = await claimJob(store, { jobId: job.id }, { timing: options.timing });
    if (!claim.claimed) return;
    let estimate: number | null = null;
    const {
      job: ended,
      result,
      shipped,
    } = await executeJob(store, claim, {
      shipper: localBranchShipper(store),
      run: {
        endpoint,
        cacheDir,
        ...(options.seed ? { seed: options.seed } : {}),
        timing: options.timing,
        onPlanned: ({ plan, data }) => {
          estimate = plan.estimate.usd;
          log(
            `job ${job.id} of ${task} started (${job.triggered_by ?? "manual"}, ${data.enough ? data.examples.length : data.usable} usable feedback entries): estimated ${usd(plan.estimate.usd)} for about ${plan.estimate.calls} model calls`,
          );
        },
      },
    });
    const spent = typeof result.metadata.actual_usd === "number" ? result.metadata.actual_usd : 0;
    const where =
      shipped && "shipped" in shipped ? `; the prompt is on branch ${shipped.shipped.branch}` : "";
    log(
      `job ${job.id} of ${task} ended ${ended.status}: ${ended.progress_step ?? result.step}; spent ${usd(spent)}${estimate === null ? "" : ` of ${usd(estimate)} estimated`}${where}`,
    );
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

function usd(amount: number): string {
  return `$${amount.toFixed(4)}`;
}
