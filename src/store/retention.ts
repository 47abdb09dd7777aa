/**
 * What the data branch keeps of the records that would otherwise grow with every job (the rules
 * are stated in docs/self-hosting.md, "What the data branch keeps"). Feedback and traces keep the
 * newest `feedback_retention_limit` entries of a task (repo-store.ts); idempotency records expire
 * after 24 hours (app/idempotency.ts); a search ledger is kept for a task's newest jobs only.
 */
import type { DataTransaction } from "./store.js";

/** The newest jobs of a task whose search ledgers are kept; older ledgers are deleted. */
export const LEDGERS_KEPT = 20;

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
