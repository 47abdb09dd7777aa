/**
 * One optimization job of `kaizen serve`, on a worker thread of its own (local-worker.ts starts
 * it): the search and its tokenizer (~70 MB of tables) load here, not in the server, and its
 * synchronous work never holds up the server's requests. The thread opens its own store on the
 * same repository; the store's compare-and-swap makes it one more writer among the server's.
 */
import { parentPort, workerData } from "node:worker_threads";
import { claimJob, executeJob, localBranchShipper, type JobTiming } from "../jobs/index.js";
import type { Job } from "../core/records.js";
import { LocalGitStore } from "../store/local-git-store.js";

/** What the server hands the thread: plain data only (a thread shares no objects). */
export interface JobThreadInput {
  repoDir: string;
  task: string;
  job: Job;
  endpoint: { apiKey: string; baseURL?: string };
  cacheDir: string | null;
  seed?: string;
  timing?: JobTiming;
  /** The model calls' retry timing (KAIZEN_MODEL_RETRY_BACKOFF_MS). */
  retry?: { maxAttempts?: number; backoffMs?: number };
}

const input = workerData as JobThreadInput;
const { task, job } = input;
/** A line for the server's console: told when the job starts (with its estimate) and how it ended. */
const log = (line: string) => parentPort?.postMessage(line);
const store = await LocalGitStore.open(input.repoDir);
try {
  const claim = await claimJob(store, { jobId: job.id }, { timing: input.timing });
  if (claim.claimed) {
    let estimate: number | null = null;
    const {
      job: ended,
      result,
      shipped,
    } = await executeJob(store, claim, {
      shipper: localBranchShipper(store),
      run: {
        endpoint: input.endpoint,
        cacheDir: input.cacheDir,
        ...(input.seed ? { seed: input.seed } : {}),
        timing: input.timing,
        retry: input.retry,
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
  }
} finally {
  await store.close();
}

function usd(amount: number): string {
  return `$${amount.toFixed(4)}`;
}
