/**
 * What the data branch keeps of the records that would otherwise grow with every job (the rules
 * are stated in docs/self-hosting.md, "What the data branch keeps"). Feedback and traces keep the
 * newest `feedback_retention_limit` entries of a task (repo-store.ts); idempotency records expire
 * after 24 hours (app/idempotency.ts); a task keeps the records of its newest jobs and the search
 * ledgers of fewer of them, pruned when its next job is created.
 */
import { isInFlight } from "../core/job-state.js";
import type { Job } from "../core/records.js";
import { parseJobPath } from "./layout.js";
import type { DataTransaction } from "./store.js";

/** The newest jobs of a task whose search ledgers are kept; older ledgers are deleted. */
export const LEDGERS_KEPT = 20;

/**
 * The newest jobs of a task whose records are kept (the one being created included). A record
 * is a few hundred bytes, a ledger can be megabytes: more history is kept of the first.
 */
export const JOBS_KEPT = 50;

/**
 * Deletes the ledgers of all but the newest LEDGERS_KEPT jobs among `paths` (a task's files
 * under `jobs/<task>/`). Job ids are UUIDv7, so their names sort by creation time.
 */
export function pruneLedgers(tx: DataTransaction, paths: readonly string[]): number {
  const ledgers = paths.filter((path) => path.endsWith(".ledger.jsonl")).sort();
  const expired = ledgers.slice(0, Math.max(0, ledgers.length - LEDGERS_KEPT));
  for (const path of expired) tx.delete(path);
  return expired.length;
}

/**
 * Deletes the records of a task's finished jobs older than its newest JOBS_KEPT, in the
 * transaction that creates the next job (`jobs` are the task's existing records, read in that
 * transaction; the new job counts as one of the newest). Two records are always kept: a job in
 * flight (its runner still writes to it), and the newest job that recorded a pull request (the
 * task's one pull request may close long after: its webhook settles the version only for a
 * pull request some job recorded).
 */
export function pruneJobRecords(tx: DataTransaction, jobs: readonly { path: string; job: Job }[]): number {
  const byAge = jobs
    .filter(({ path }) => parseJobPath(path) !== null)
    .sort((a, b) => a.path.localeCompare(b.path));
  const withPullRequest = byAge.findLast(({ job }) => job.pr_url !== null);
  const older = byAge.slice(0, Math.max(0, byAge.length - (JOBS_KEPT - 1)));
  const expired = older.filter(({ job }) => !isInFlight(job.status) && job !== withPullRequest?.job);
  for (const { path } of expired) tx.delete(path);
  return expired.length;
}
