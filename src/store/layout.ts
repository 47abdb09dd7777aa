/**
 * Where each record lives on the data branch. The only place that spells these paths.
 *
 *   feedback/<task>/<segment>.jsonl   append-only, one record a line, segments time-ordered
 *   traces/<task>/<segment>.jsonl
 *   prompts/<task>/<version_number>.json
 *   jobs/<task>/<job_id>.json
 *   state/<task>.json
 *   canary/<task>.json                the online canary of the task's candidate
 *   keys/<key_id>.json, keys/revoked/<key_id>.json (tombstones of revoked keys)
 *   idempotency/<hour>/<hash>.json    first responses of POSTs with an Idempotency-Key (24 h)
 *   key-claims/<xx>.json              keys of feedback and trace batches (24 h, newest kept), by hash prefix
 *   imports/<task>/<import_id>.json   what a `kaizen feedback import` added, so it can be taken back
 */

export const DATA_BRANCH = "kaizen/data";
export const TASKS_DIR = ".kaizen/tasks";

export type LogKind = "feedback" | "traces";

export const layout = {
  logDir: (kind: LogKind, task: string) => `${kind}/${task}`,
  segment: (kind: LogKind, task: string, segment: string) => `${kind}/${task}/${segment}.jsonl`,
  promptsDir: (task: string) => `prompts/${task}`,
  /** Zero-padded so that names sort like numbers. */
  prompt: (task: string, versionNumber: number) =>
    `prompts/${task}/${String(versionNumber).padStart(6, "0")}.json`,
  jobsDir: (task?: string) => (task === undefined ? "jobs" : `jobs/${task}`),
  job: (task: string, jobId: string) => `jobs/${task}/${jobId}.json`,
  /** Every proposal of a job's search: parent, scores, cost, why it was rejected. */
  ledger: (task: string, jobId: string) => `jobs/${task}/${jobId}.ledger.jsonl`,
  state: (task: string) => `state/${task}.json`,
  canary: (task: string) => `canary/${task}.json`,
  keysDir: () => "keys",
  key: (keyId: string) => `keys/${keyId}.json`,
  /** A revoked key's tombstone: what keeps a revoked key from being stored again (a restart). */
  revokedKey: (keyId: string) => `keys/revoked/${keyId}.json`,
  /** The ids of the feedback entries one import added to a task (feedback-edits.ts). */
  feedbackImport: (task: string, importId: string) => `imports/${task}/${importId}.json`,
  idempotencyDir: () => "idempotency",
  /**
   * A POST's first response, kept 24 hours under a hash of its Idempotency-Key, in a directory
   * per hour of its creation (`2026112905`), so expired records are found by name alone.
   */
  idempotency: (hour: string, hash: string) => `idempotency/${hour}/${hash}.json`,
  /** A fixed set of 256 files (by the hash's first byte), however many batches are keyed. */
  keyClaims: (hash: string) => `key-claims/${hash.slice(0, 2)}.json`,
} as const;

/** `jobs/<task>/<id>.json` → `{ task, id }`, or null for any other path. */
export function parseJobPath(path: string): { task: string; id: string } | null {
  const match = /^jobs\/([^/]+)\/([^/]+)\.json$/.exec(path);
  return match ? { task: match[1]!, id: match[2]! } : null;
}
