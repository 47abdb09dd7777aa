/**
 * The repository as Kaizen's database. Task configuration and prompts live on the default
 * branch (people own them); everything Kaizen records lives on the `kaizen/data` orphan
 * branch (see layout.ts). Every write is one commit whose ref update is a compare-and-swap,
 * re-applied on conflict, so several app instances and Actions can write at once.
 */
import { z } from "zod";
import type { CanaryState } from "../core/canary.js";
import type { ApiKeyRecord, FeedbackResult, Job, PromptVersion, TraceResult } from "../core/records.js";
import { Timestamp } from "../core/records.js";

/** Counters kept beside a task's data so that nothing needs a scan to answer "how many". */
export const TaskState = z.object({
  task: z.string(),
  /** When Kaizen first stored anything for the task. */
  created_at: Timestamp,
  /** Feedback entries ever stored (after deduplication), including ones retention removed. */
  feedback_total: z.number().int().nonnegative().default(0),
  /** Feedback entries on the data branch now (at most the retention limit). */
  feedback_retained: z.number().int().nonnegative().default(0),
  /** Feedback stored since the last optimization started; compared with the threshold. */
  feedback_since_optimization: z.number().int().nonnegative().default(0),
  last_optimization: Timestamp.nullable().default(null),
  traces_total: z.number().int().nonnegative().default(0),
  /** Segment file name → entries in it, oldest first, for feedback and for traces. */
  feedback_segments: z.record(z.string(), z.number().int().nonnegative()).default({}),
  trace_segments: z.record(z.string(), z.number().int().nonnegative()).default({}),
  /**
   * Segment file name → the least and the greatest id in it (as strings), for feedback and for
   * traces: an append checks an id only against the segments whose range holds it, so the
   * first write after a restart reads a segment or two instead of the whole log. A segment
   * without a range (written before ranges were kept) is read.
   */
  feedback_id_ranges: z.record(z.string(), z.tuple([z.string(), z.string()])).default({}),
  trace_id_ranges: z.record(z.string(), z.tuple([z.string(), z.string()])).default({}),
});
export type TaskState = z.infer<typeof TaskState>;

/** What a listing of tasks shows of each beyond its file: its counters and its active version. */
export interface TaskSummary {
  state: TaskState | null;
  active: PromptVersion | null;
  /** Whether a candidate newer than the active version exists (a merge may have made it active). */
  newerCandidate: boolean;
}

/** A task file of the default branch: its blob sha names its text (the same sha, the same text). */
export interface TaskFile {
  path: string;
  sha: string;
  text: string;
}

export interface AppendResult<T> {
  /** The records as stored, in the order given; a duplicate id yields the record stored first. */
  records: T[];
  /** How many records were new. */
  added: number;
  /** How many were already stored (same id) and were not written again. */
  duplicates: number;
  /** How many old entries retention removed in the same commit. */
  evicted: number;
  /** The commit that stored them, or null when every record was a duplicate. */
  commit: string | null;
  state: TaskState;
}

/** A read-and-write view of the data branch inside one commit; see Store.transact. */
export interface DataTransaction {
  /** The file's text at the snapshot, with this transaction's own writes applied. */
  read(path: string): Promise<string | null>;
  /** A JSON document parsed with its schema, or null when absent. */
  readJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | null>;
  /** Paths of the files below `dir` (recursively), with this transaction's writes applied, sorted. */
  list(dir: string): Promise<string[]>;
  write(path: string, text: string): void;
  /** Validates with the schema, then writes pretty JSON with a trailing newline. */
  writeJson<S extends z.ZodType>(path: string, schema: S, value: z.input<S>): void;
  delete(path: string): void;
}

export interface AppendFeedbackOptions {
  retentionLimit: number;
  /**
   * Runs inside the append's transaction with the entries that were new, so what it writes
   * (the canary's tallies) lands in the same commit: counted once, whoever wins the race.
   */
  inCommit?: (tx: DataTransaction, fresh: FeedbackResult[]) => Promise<void>;
}

export interface Store {
  /** Where the data lives, for messages: a directory or `owner/repo`. */
  readonly label: string;

  defaultBranch(): Promise<string>;
  /** A file on the default branch (or at `ref`), or null. */
  readRepoFile(path: string, ref?: string): Promise<string | null>;
  /**
   * Commits files (path → text) to the default branch, as one commit. Meant for what people
   * asked Kaizen to write there (a task created through the API).
   * With `createOnly`, every file must be new (PathTakenError otherwise), as of the commit the
   * write lands on.
   * @throws ProtectedBranchError when the branch refuses direct writes
   */
  commitToDefaultBranch(
    files: Readonly<Record<string, string>>,
    message: string,
    options?: { createOnly?: boolean },
  ): Promise<string>;
  /** Every `.kaizen/tasks/*.yml` (and `.yaml`) file on the default branch (or at `ref`), unparsed. */
  listTaskFiles(ref?: string): Promise<TaskFile[]>;
  /** The paths of every file on the default branch (one listing, as the backend keeps it). */
  listRepoFiles(): Promise<string[]>;

  /**
   * Appends feedback to a task's log in one commit, keeping at most `retentionLimit` entries
   * (the newest) and never storing an id twice.
   */
  appendFeedback(
    task: string,
    records: readonly FeedbackResult[],
    options: AppendFeedbackOptions,
  ): Promise<AppendResult<FeedbackResult>>;
  /**
   * The task's feedback, oldest first (or newest first), streamed segment by segment from one
   * snapshot: a reader that stops early reads only the segments it went through, and one that
   * skips entries (`skip`) does not read the segments it skips whole.
   */
  readFeedback(
    task: string,
    options?: { newestFirst?: boolean; skip?: number },
  ): AsyncIterable<FeedbackResult>;
  /**
   * Appends traces; with `retentionLimit`, at most that many (the newest) are kept, as for
   * feedback. `inCommit` runs as feedback's does, only when some trace is new.
   */
  appendTraces(
    task: string,
    records: readonly TraceResult[],
    options?: { retentionLimit?: number; inCommit?: (tx: DataTransaction) => Promise<void> },
  ): Promise<AppendResult<TraceResult>>;
  readTraces(task: string, options?: { newestFirst?: boolean; skip?: number }): AsyncIterable<TraceResult>;
  /**
   * The trace with this id and its task, or null. Found through an index of the ids in each
   * segment, kept per instance and updated with only the segments added since, so looking a
   * trace up does not read every trace each time.
   */
  findTrace(traceId: string): Promise<{ task: string; trace: TraceResult } | null>;

  getTaskState(task: string): Promise<TaskState | null>;
  /** The online canary of the task's candidate (store/canary-state.ts), or null. */
  getCanary(task: string): Promise<CanaryState | null>;
  /** Changes a task's counters atomically (e.g. resetting `feedback_since_optimization`). */
  updateTaskState(
    task: string,
    change: (state: TaskState) => TaskState,
    message?: string,
  ): Promise<TaskState>;

  putJob(task: string, job: Job): Promise<void>;
  getJob(jobId: string): Promise<{ task: string; job: Job } | null>;
  /** Jobs, newest first; of one task, or of all tasks. */
  listJobs(task?: string): Promise<Job[]>;
  /**
   * Re-reads the job and applies `change` until the write lands, so two writers never undo
   * each other. `change` may throw (e.g. IllegalTransitionError) to abort.
   */
  updateJob(jobId: string, change: (job: Job) => Job, message?: string): Promise<Job>;

  putPromptVersion(task: string, version: PromptVersion): Promise<void>;
  /** Versions, newest first. */
  listPromptVersions(task: string): Promise<PromptVersion[]>;
  /**
   * Each task's state and active version, for a page of tasks: one listing of the states and
   * one of the versions for all of them, then each task's own files (never a listing per task).
   */
  taskSummaries(tasks: readonly string[]): Promise<Map<string, TaskSummary>>;

  putKey(key: ApiKeyRecord): Promise<void>;
  getKey(keyId: string): Promise<ApiKeyRecord | null>;
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key: deletes its record and leaves a tombstone. @returns whether the key existed */
  deleteKey(keyId: string): Promise<boolean>;
  /** Whether the key was revoked (its record must never be stored again). */
  isKeyRevoked(keyId: string): Promise<boolean>;

  /**
   * Runs `work` against the data branch's head and commits what it wrote, as one commit.
   * On a conflict the head is re-read and `work` runs again, so `work` must derive its
   * writes only from what it reads through `tx`. Returns what `work` returned. The message may be
   * made from that result, for a commit that says what it did (how many entries it removed).
   */
  transact<T>(
    message: string | ((result: T) => string),
    work: (tx: DataTransaction) => T | Promise<T>,
  ): Promise<T>;
}
