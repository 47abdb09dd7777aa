/**
 * The Store, written once over any GitBackend (a local repository, GitHub). Everything that
 * makes git a database lives here: one commit per write, re-applied on a lost race; segmented
 * logs with deduplication and retention; the typed records (jobs, versions, keys, state).
 */
import type { z } from "zod";
import { CanaryState } from "../core/canary.js";
import { KaizenError, NotFoundError } from "../core/errors.js";
import { looksLikeId } from "../core/ids.js";
import { ApiKeyRecord, FeedbackResult, Job, PromptVersion, TraceResult } from "../core/records.js";
import { RefConflictError, type FileChanges, type GitBackend } from "./backend.js";
import { DATA_BRANCH, layout, parseJobPath, TASKS_DIR, type LogKind } from "./layout.js";
import { jsonlLines, newSegmentName, toJsonl } from "./segments.js";
import {
  TaskState,
  type AppendFeedbackOptions,
  type AppendResult,
  type DataTransaction,
  type Store,
  type TaskFile,
  type TaskSummary,
} from "./store.js";

/**
 * Beyond this many segments a task's log is compacted: the oldest segments are merged into one
 * in the same commit. Each append adds a segment, and every reader lists them all, so the bound
 * keeps listings and the dedup index small; 64 keeps a merge rare (once per 32 appends) while a
 * tree stays far below GitHub's 100,000-entry recursive listing limit for hundreds of tasks.
 */
export const MAX_SEGMENTS = 64;
/** Compaction merges small segments up to this many entries each (a few MB of JSONL at most). */
export const SEGMENT_TARGET_ENTRIES = 5_000;

/** The store gave up after losing the race this many times in a row. */
export class StoreContentionError extends KaizenError {
  override name = "StoreContentionError";
}

export interface RepoStoreOptions {
  /** Attempts of one transaction before giving up (each lost race re-reads and re-applies). */
  maxAttempts?: number;
  /** Base of the jittered exponential backoff between attempts, in ms. */
  backoffMs?: number;
  now?: () => Date;
}

type LogRecord = { id: string };

export interface ReadOptions {
  /** Newest entry first (default: oldest first). */
  newestFirst?: boolean;
  /**
   * Entries to pass over first, in the read's order. Whole segments are passed over by the
   * counts the task's state keeps beside them (written in the same commit as the segments), so
   * a page deep in the log reads only the segments it returns.
   */
  skip?: number;
}

/** Which ids a task's log holds, kept across appends; segments are immutable blobs. */
interface LogIndex {
  /** segment path → its blob sha and ids */
  segments: Map<string, { sha: string; ids: string[] }>;
  /** id → the segment path that holds it */
  ids: Map<string, string>;
}

/** Task file texts kept by blob sha (a few hundred bytes each). */
const TASK_TEXTS_KEPT = 20_000;

export class RepoStore implements Store {
  readonly label: string;
  #backend: GitBackend;
  #maxAttempts: number;
  #backoffMs: number;
  #now: () => Date;
  #indexes = new Map<string, LogIndex>();
  #taskTexts = new Map<string, string>();

  constructor(backend: GitBackend, options: RepoStoreOptions = {}) {
    this.#backend = backend;
    this.label = backend.label;
    this.#maxAttempts = options.maxAttempts ?? 40;
    this.#backoffMs = options.backoffMs ?? 15;
    this.#now = options.now ?? (() => new Date());
  }

  get backend(): GitBackend {
    return this.#backend;
  }

  defaultBranch(): Promise<string> {
    return this.#backend.defaultBranch();
  }

  async readRepoFile(path: string, ref?: string): Promise<string | null> {
    return this.#backend.readFile(ref ?? (await this.#backend.defaultBranch()), path);
  }

  async listRepoFiles(): Promise<string[]> {
    const commit = await this.#resolve(await this.#backend.defaultBranch());
    return commit === null ? [] : [...(await this.#backend.listFiles(commit, "")).keys()];
  }

  async listTaskFiles(ref?: string): Promise<TaskFile[]> {
    const commit = await this.#resolve(ref ?? (await this.#backend.defaultBranch()));
    if (commit === null) return [];
    const files = await this.#backend.listFiles(commit, TASKS_DIR);
    const taskFiles = [...files]
      .filter(([path]) => /^\.kaizen\/tasks\/[^/]+\.ya?ml$/.test(path))
      .sort(([a], [b]) => a.localeCompare(b));
    return Promise.all(
      taskFiles.map(async ([path, sha]) => ({ path, sha, text: await this.#taskText(sha) })),
    );
  }

  /**
   * A task file's text by its blob sha: a listing of 10,000 tasks re-reads only the files that
   * changed since the last one. Bounded; the oldest entries go first.
   */
  async #taskText(sha: string): Promise<string> {
    const known = this.#taskTexts.get(sha);
    if (known !== undefined) return known;
    const text = await this.#backend.readBlob(sha);
    this.#taskTexts.set(sha, text);
    if (this.#taskTexts.size > TASK_TEXTS_KEPT) this.#taskTexts.delete(this.#taskTexts.keys().next().value!);
    return text;
  }

  async commitToDefaultBranch(
    files: Readonly<Record<string, string>>,
    message: string,
    options: { createOnly?: boolean } = {},
  ): Promise<string> {
    const branch = await this.#backend.defaultBranch();
    for (let attempt = 1; ; attempt++) {
      const head = await this.#backend.head(branch);
      try {
        return await this.#backend.commit({
          branch,
          parent: head,
          changes: new Map(Object.entries(files)),
          message,
          createOnly: options.createOnly ?? false,
        });
      } catch (error) {
        if (!(error instanceof RefConflictError) || attempt >= this.#maxAttempts) throw error;
      }
    }
  }

  // ---- transactions -------------------------------------------------------------------------

  async transact<T>(
    message: string | ((result: T) => string),
    work: (tx: DataTransaction) => T | Promise<T>,
  ): Promise<T> {
    return (await this.#transact(message, work)).result;
  }

  /** transact, also telling which commit landed (null when nothing was written). */
  async #transact<T>(
    message: string | ((result: T) => string),
    work: (tx: Transaction) => T | Promise<T>,
  ): Promise<{ result: T; commit: string | null }> {
    for (let attempt = 1; ; attempt++) {
      // The first attempt may start from the head this instance last wrote: when another
      // writer moved the branch since, the compare-and-swap fails and the retry reads it fresh.
      const head = await this.#backend.head(DATA_BRANCH, { maybeStale: attempt === 1 });
      const tx = new Transaction(this.#backend, head);
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        // A refusal made from a remembered head may be stale too (another writer, such as
        // kaizen serve's job thread, added the version it looked for): it is made again on the
        // fresh head.
        if (attempt === 1 && (await this.#backend.head(DATA_BRANCH)) !== head) continue;
        throw error;
      }
      if (tx.changes.size === 0) {
        // Writing nothing is a decision too ("job J is in flight", "already stored"), and one
        // made from a head this instance remembered may be stale: it stands only if the head
        // is still current; otherwise it is made again on the fresh head.
        if (attempt === 1 && (await this.#backend.head(DATA_BRANCH)) !== head) continue;
        return { result, commit: null };
      }
      try {
        const commit = await this.#backend.commit({
          branch: DATA_BRANCH,
          parent: head,
          changes: tx.changes,
          message: typeof message === "string" ? message : message(result),
        });
        return { result, commit };
      } catch (error) {
        if (!(error instanceof RefConflictError)) throw error;
        if (attempt >= this.#maxAttempts) {
          throw new StoreContentionError(
            `${this.label}: gave up on "${typeof message === "string" ? message : message(result)}" after losing ${attempt} races for ${DATA_BRANCH}; too many writers at once`,
          );
        }
        // Jittered exponential backoff, capped, so racing writers spread out instead of
        // colliding again in lockstep.
        const ceiling = Math.min(this.#backoffMs * 2 ** Math.min(attempt, 6), 1_000);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
    }
  }

  // ---- feedback and traces ------------------------------------------------------------------

  appendFeedback(
    task: string,
    records: readonly FeedbackResult[],
    options: AppendFeedbackOptions,
  ): Promise<AppendResult<FeedbackResult>> {
    return this.#append("feedback", task, records, FeedbackResult, options.retentionLimit, options.inCommit);
  }

  readFeedback(task: string, options: ReadOptions = {}): AsyncIterable<FeedbackResult> {
    return this.#read("feedback", task, FeedbackResult, options);
  }

  appendTraces(
    task: string,
    records: readonly TraceResult[],
    options: { retentionLimit?: number; inCommit?: (tx: DataTransaction) => Promise<void> } = {},
  ): Promise<AppendResult<TraceResult>> {
    return this.#append(
      "traces",
      task,
      records,
      TraceResult,
      options.retentionLimit ?? null,
      options.inCommit,
    );
  }

  readTraces(task: string, options: ReadOptions = {}): AsyncIterable<TraceResult> {
    return this.#read("traces", task, TraceResult, options);
  }

  /**
   * The trace with this id, in any task. A score usually follows its trace within minutes, so the
   * segments of every task are read newest first, each one's ids kept in the task's index, and the
   * search stops at the first that holds it: an instance that has not read the traces before
   * reads a segment or two, not every trace stored.
   */
  async findTrace(traceId: string): Promise<{ task: string; trace: TraceResult } | null> {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return null;
    const tx = new Transaction(this.#backend, head);
    // Segment names start with their creation time (newSegmentName); a compacted segment keeps
    // its oldest member's name, so it still sorts after everything newer.
    const segments = [...(await tx.listWithShas("traces"))]
      .map(([path, sha]) => ({ path, sha, task: path.split("/")[1]!, name: path.split("/").at(-1)! }))
      .sort((a, b) => b.name.localeCompare(a.name));
    for (const { path, sha, task } of segments) {
      const index = this.#cachedIndex("traces", task);
      let text: string | null = null;
      if (index.segments.get(path)?.sha !== sha)
        indexSegment(index, path, sha, (text = (await tx.read(path)) ?? ""));
      if (index.ids.get(traceId) !== path) continue;
      for (const line of jsonlLines(text ?? (await tx.read(path)) ?? "")) {
        const trace = TraceResult.parse(JSON.parse(line));
        if (trace.id === traceId) return { task, trace };
      }
    }
    return null;
  }

  async #append<T extends LogRecord>(
    kind: LogKind,
    task: string,
    records: readonly T[],
    schema: z.ZodType<T>,
    retentionLimit: number | null,
    inCommit?: (tx: DataTransaction, fresh: T[]) => Promise<void>,
  ): Promise<AppendResult<T>> {
    const parsed = records.map((r) => schema.parse(r));
    const { result, commit } = await this.#transact(
      `Append ${parsed.length} ${kind === "feedback" ? "feedback" : "trace"} entries to ${task}`,
      async (tx) => {
        const now = this.#now();
        const state =
          (await tx.readJson(layout.state(task), TaskState)) ??
          TaskState.parse({ task, created_at: now.toISOString() });
        const ranges = kind === "feedback" ? state.feedback_id_ranges : state.trace_id_ranges;
        const index = await this.#indexOf(
          tx,
          kind,
          task,
          parsed.map((r) => r.id),
          ranges,
        );
        const fresh: T[] = [];
        const firstInBatch = new Map<string, T>();
        const stored: (T | { duplicateOf: string })[] = [];
        for (const record of parsed) {
          if (index.ids.has(record.id)) stored.push({ duplicateOf: record.id });
          else if (firstInBatch.has(record.id)) stored.push(firstInBatch.get(record.id)!);
          else {
            firstInBatch.set(record.id, record);
            fresh.push(record);
            stored.push(record);
          }
        }
        const resolved = await this.#resolveDuplicates(tx, index, stored, schema);
        const duplicates = parsed.length - fresh.length;
        if (fresh.length === 0)
          return { records: resolved, added: 0, duplicates, evicted: 0, commit: null, state };

        const counts = kind === "feedback" ? state.feedback_segments : state.trace_segments;
        const segmentName = newSegmentName(now);
        tx.write(layout.segment(kind, task, segmentName), toJsonl(fresh));
        counts[segmentName] = fresh.length;
        ranges[segmentName] = idRange(fresh.map((r) => r.id));
        let evicted = 0;
        if (retentionLimit !== null)
          evicted = await applyRetention(tx, kind, task, counts, ranges, retentionLimit);
        await compactSegments(tx, kind, task, counts, ranges);

        if (kind === "feedback") {
          state.feedback_total += fresh.length;
          state.feedback_since_optimization += fresh.length;
          state.feedback_retained = Object.values(counts).reduce((a, b) => a + b, 0);
        } else {
          state.traces_total += fresh.length;
        }
        tx.writeJson(layout.state(task), TaskState, state);
        await inCommit?.(tx, fresh);
        return { records: resolved, added: fresh.length, duplicates, evicted, commit: null, state };
      },
    );
    return { ...result, commit };
  }

  /** Replaces each `{ duplicateOf }` by the record stored first under that id. */
  async #resolveDuplicates<T extends LogRecord>(
    tx: DataTransaction,
    index: LogIndex,
    stored: (T | { duplicateOf: string })[],
    schema: z.ZodType<T>,
  ): Promise<T[]> {
    const segmentsNeeded = new Set(
      stored.flatMap((s) => ("duplicateOf" in s ? [index.ids.get(s.duplicateOf)!] : [])),
    );
    const found = new Map<string, T>();
    for (const path of segmentsNeeded) {
      for (const line of jsonlLines((await tx.read(path)) ?? "")) {
        const record = schema.parse(JSON.parse(line));
        found.set(record.id, record);
      }
    }
    return stored.map((s) => ("duplicateOf" in s ? found.get(s.duplicateOf)! : s));
  }

  /** The ids of a task's log as this instance last read them (possibly behind the branch). */
  #cachedIndex(kind: LogKind, task: string): LogIndex {
    const key = `${kind}/${task}`;
    const index = this.#indexes.get(key) ?? { segments: new Map(), ids: new Map() };
    this.#indexes.set(key, index);
    return index;
  }

  /**
   * A task's log index at the transaction's snapshot, complete for `ids`: every segment that may
   * hold one of them is indexed. Only segments not seen before are read (a blob never changes),
   * so an instance that appends repeatedly reads nothing, while segments written, merged or
   * dropped by other writers are picked up; and a segment whose id range (kept in the task's
   * state) holds none of `ids` is not read at all, so the first append after a restart reads
   * the segment or two its ids could be in, not the whole log.
   */
  async #indexOf(
    tx: Transaction,
    kind: LogKind,
    task: string,
    ids: readonly string[],
    ranges: Readonly<Record<string, readonly [string, string]>>,
  ): Promise<LogIndex> {
    const index = this.#cachedIndex(kind, task);
    const current = await tx.listWithShas(layout.logDir(kind, task));
    for (const path of index.segments.keys()) if (!current.has(path)) forgetSegment(index, path);
    for (const [path, sha] of current) {
      if (index.segments.get(path)?.sha === sha) continue;
      const range = ranges[segmentNameOf(path)];
      if (range && !ids.some((id) => id >= range[0] && id <= range[1])) continue;
      indexSegment(index, path, sha, (await tx.read(path)) ?? "");
    }
    return index;
  }

  async *#read<T>(kind: LogKind, task: string, schema: z.ZodType<T>, options: ReadOptions): AsyncIterable<T> {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return;
    const segments = [...(await this.#backend.listFiles(head, layout.logDir(kind, task)))].sort(([a], [b]) =>
      a.localeCompare(b),
    );
    // Newest first: the segments backwards, each one's lines backwards, so that a reader who
    // wants the latest page stops after a segment or two instead of reading the whole log.
    if (options.newestFirst) segments.reverse();
    let skip = options.skip ?? 0;
    const counts = skip > 0 ? await this.#segmentCounts(head, kind, task) : {};
    for (const [path, sha] of segments) {
      const count = counts[segmentNameOf(path)];
      if (count !== undefined && count <= skip) {
        skip -= count;
        continue;
      }
      const text = await this.#backend.readBlob(sha);
      const lines = jsonlLines(text);
      const order = lines.map((_, i) => i);
      if (options.newestFirst) order.reverse();
      for (const index of order) {
        if (skip > 0) {
          skip--;
          continue;
        }
        const line = lines[index]!;
        const lineNumber = index + 1;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new KaizenError(`${this.label}: ${DATA_BRANCH}:${path}:${lineNumber}: not valid JSON`);
        }
        yield schema.parse(value);
      }
    }
  }

  /** Segment file name → entries in it, from the task's state at `head` (empty when it has none). */
  async #segmentCounts(head: string, kind: LogKind, task: string): Promise<Record<string, number>> {
    const path = layout.state(task);
    const sha = (await this.#backend.listFiles(head, path.slice(0, path.lastIndexOf("/")))).get(path);
    if (sha === undefined) return {};
    const state = TaskState.parse(JSON.parse(await this.#backend.readBlob(sha)));
    return kind === "feedback" ? state.feedback_segments : state.trace_segments;
  }

  // ---- task state ---------------------------------------------------------------------------

  async getCanary(task: string): Promise<CanaryState | null> {
    return this.#readJsonAtHead(layout.canary(task), CanaryState);
  }

  async getTaskState(task: string): Promise<TaskState | null> {
    return this.#readJsonAtHead(layout.state(task), TaskState);
  }

  updateTaskState(
    task: string,
    change: (state: TaskState) => TaskState,
    message = `Update state of ${task}`,
  ): Promise<TaskState> {
    return this.transact(message, async (tx) => {
      const state =
        (await tx.readJson(layout.state(task), TaskState)) ??
        TaskState.parse({ task, created_at: this.#now().toISOString() });
      const next = TaskState.parse(change(state));
      tx.writeJson(layout.state(task), TaskState, next);
      return next;
    });
  }

  // ---- jobs ---------------------------------------------------------------------------------

  async putJob(task: string, job: Job): Promise<void> {
    await this.transact(`Record job ${job.id} of ${task} (${job.status})`, (tx) =>
      tx.writeJson(layout.job(task, job.id), Job, job),
    );
  }

  async getJob(jobId: string): Promise<{ task: string; job: Job } | null> {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return null;
    for (const [path, sha] of await this.#backend.listFiles(head, layout.jobsDir())) {
      const parsed = parseJobPath(path);
      if (parsed?.id === jobId)
        return { task: parsed.task, job: Job.parse(JSON.parse(await this.#backend.readBlob(sha))) };
    }
    return null;
  }

  async listJobs(task?: string): Promise<Job[]> {
    const jobs = await this.#readAllJson(layout.jobsDir(task), Job, (path) => parseJobPath(path) !== null);
    // UUIDv7 ids sort by creation time; created_at first keeps imported jobs honest too.
    return jobs.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
  }

  updateJob(jobId: string, change: (job: Job) => Job, message?: string): Promise<Job> {
    return this.transact(message ?? `Update job ${jobId}`, async (tx) => {
      const path = (await tx.list(layout.jobsDir())).find((p) => parseJobPath(p)?.id === jobId);
      const job = path ? await tx.readJson(path, Job) : null;
      if (!path || !job) throw new NotFoundError(`job ${jobId} not found in ${this.label}`);
      const next = Job.parse(change(job));
      if (JSON.stringify(next) !== JSON.stringify(job)) tx.writeJson(path, Job, next);
      return next;
    });
  }

  // ---- prompt versions ----------------------------------------------------------------------

  async putPromptVersion(task: string, version: PromptVersion): Promise<void> {
    await this.transact(
      `Record prompt version ${version.version_number} of ${task} (${version.status})`,
      (tx) => tx.writeJson(layout.prompt(task, version.version_number), PromptVersion, version),
    );
  }

  async taskSummaries(tasks: readonly string[]): Promise<Map<string, TaskSummary>> {
    const summaries = new Map<string, TaskSummary>(
      tasks.map((task) => [task, { state: null, active: null, newerCandidate: false }]),
    );
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return summaries;
    // Two listings for the whole page (not one per task: locally each listing of a directory
    // filters every file of the branch), then each task's own blobs.
    const [states, prompts] = await Promise.all([
      this.#backend.listFiles(head, "state"),
      this.#backend.listFiles(head, "prompts"),
    ]);
    const versionsOf = new Map<string, string[]>();
    for (const [path, sha] of prompts) {
      const task = path.slice("prompts/".length, path.lastIndexOf("/"));
      if (summaries.has(task) && path.endsWith(".json"))
        versionsOf.set(task, [...(versionsOf.get(task) ?? []), `${path}\n${sha}`]);
    }
    await Promise.all(
      tasks.map(async (task) => {
        const summary = summaries.get(task)!;
        const stateSha = states.get(layout.state(task));
        if (stateSha !== undefined)
          summary.state = TaskState.parse(JSON.parse(await this.#backend.readBlob(stateSha)));
        // Zero-padded numbers sort as numbers: the newest first, read until the active one.
        for (const entry of (versionsOf.get(task) ?? []).sort().reverse()) {
          const version = PromptVersion.parse(
            JSON.parse(await this.#backend.readBlob(entry.slice(entry.indexOf("\n") + 1))),
          );
          if (version.status === "active") {
            summary.active = version;
            break;
          }
          if (version.status === "candidate") summary.newerCandidate = true;
        }
      }),
    );
    return summaries;
  }

  async listPromptVersions(task: string): Promise<PromptVersion[]> {
    const versions = await this.#readAllJson(layout.promptsDir(task), PromptVersion);
    return versions.sort((a, b) => b.version_number - a.version_number);
  }

  // ---- keys ---------------------------------------------------------------------------------

  async putKey(key: ApiKeyRecord): Promise<void> {
    await this.transact(`Add API key ${key.prefix}…`, (tx) =>
      tx.writeJson(layout.key(key.id), ApiKeyRecord, key),
    );
  }

  getKey(keyId: string): Promise<ApiKeyRecord | null> {
    if (!looksLikeId(keyId)) return Promise.resolve(null);
    return this.#readJsonAtHead(layout.key(keyId), ApiKeyRecord);
  }

  listKeys(): Promise<ApiKeyRecord[]> {
    return this.#readAllJson(layout.keysDir(), ApiKeyRecord, (path) => !path.includes("/revoked/"));
  }

  deleteKey(keyId: string): Promise<boolean> {
    // Only a key's own record: anything else (`revoked/<id>`, the tombstone) is no key.
    if (!looksLikeId(keyId)) return Promise.resolve(false);
    return this.transact(`Revoke API key ${keyId}`, async (tx) => {
      if ((await tx.read(layout.key(keyId))) === null) return false;
      tx.delete(layout.key(keyId));
      tx.write(
        layout.revokedKey(keyId),
        `${JSON.stringify({ id: keyId, revoked_at: this.#now().toISOString() })}\n`,
      );
      return true;
    });
  }

  async isKeyRevoked(keyId: string): Promise<boolean> {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return false;
    return (await this.#backend.listFiles(head, "keys/revoked")).has(layout.revokedKey(keyId));
  }

  // ---- reads at the data branch's head ------------------------------------------------------

  async #readJsonAtHead<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | null> {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return null;
    const sha = (await this.#backend.listFiles(head, path.slice(0, path.lastIndexOf("/")))).get(path);
    return sha === undefined ? null : schema.parse(JSON.parse(await this.#backend.readBlob(sha)));
  }

  async #readAllJson<S extends z.ZodType>(
    dir: string,
    schema: S,
    accept: (path: string) => boolean = () => true,
  ): Promise<z.infer<S>[]> {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return [];
    const files = [...(await this.#backend.listFiles(head, dir))].filter(
      ([path]) => path.endsWith(".json") && accept(path),
    );
    return Promise.all(
      files.map(async ([, sha]) => schema.parse(JSON.parse(await this.#backend.readBlob(sha)))),
    );
  }

  /** A branch name or a commit sha → the commit, or null when the branch does not exist. */
  async #resolve(ref: string): Promise<string | null> {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    return this.#backend.head(ref.replace(/^refs\/heads\//, ""));
  }
}

/**
 * Drops the oldest entries beyond the limit: whole segments first, then the oldest lines of
 * the one segment that is partly kept. Returns how many entries were removed.
 */
async function applyRetention(
  tx: Transaction,
  kind: LogKind,
  task: string,
  counts: Record<string, number>,
  ranges: Record<string, [string, string]>,
  limit: number,
): Promise<number> {
  let total = Object.values(counts).reduce((a, b) => a + b, 0);
  let evicted = 0;
  for (const name of Object.keys(counts).sort()) {
    if (total <= limit) break;
    const count = counts[name]!;
    const path = layout.segment(kind, task, name);
    if (total - count >= limit) {
      tx.delete(path);
      delete counts[name];
      delete ranges[name];
      total -= count;
      evicted += count;
    } else {
      // The segment's range still holds every id left in it (a few more besides): kept as is.
      const drop = total - limit;
      const lines = jsonlLines((await tx.read(path)) ?? "");
      tx.write(path, lines.slice(drop).join("\n") + "\n");
      counts[name] = count - drop;
      total -= drop;
      evicted += drop;
    }
  }
  return evicted;
}

/** A segment's file name without its directory and `.jsonl`: the key of its count and id range. */
function segmentNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).replace(/\.jsonl$/, "");
}

/** The least and the greatest of some ids (at least one), compared as strings. */
function idRange(ids: readonly string[]): [string, string] {
  let least = ids[0]!;
  let greatest = ids[0]!;
  for (const id of ids) {
    if (id < least) least = id;
    if (id > greatest) greatest = id;
  }
  return [least, greatest];
}

/** Records a segment's ids in its task's index, replacing what an older version of it held. */
function indexSegment(index: LogIndex, path: string, sha: string, text: string): void {
  forgetSegment(index, path);
  const ids = jsonlLines(text).map((line) => (JSON.parse(line) as LogRecord).id);
  index.segments.set(path, { sha, ids });
  for (const id of ids) index.ids.set(id, path);
}

function forgetSegment(index: LogIndex, path: string): void {
  for (const id of index.segments.get(path)?.ids ?? []) if (index.ids.get(id) === path) index.ids.delete(id);
  index.segments.delete(path);
}

/**
 * When a log has more than MAX_SEGMENTS segments, merges runs of consecutive small segments
 * (oldest first, the newest half left alone) into segments of at most SEGMENT_TARGET_ENTRIES.
 * A merged segment keeps the name of its oldest part, so the order of entries is unchanged, and
 * the size cap keeps a reader's memory bounded by one segment, not by the whole log.
 */
async function compactSegments(
  tx: Transaction,
  kind: LogKind,
  task: string,
  counts: Record<string, number>,
  ranges: Record<string, [string, string]>,
): Promise<void> {
  const names = Object.keys(counts).sort();
  if (names.length <= MAX_SEGMENTS) return;
  const candidates = names.slice(0, names.length - Math.floor(MAX_SEGMENTS / 2));
  let run: string[] = [];
  let runEntries = 0;
  const flush = async () => {
    if (run.length > 1) {
      const lines: string[] = [];
      for (const name of run)
        lines.push(...jsonlLines((await tx.read(layout.segment(kind, task, name))) ?? ""));
      // The merged range spans its parts'; a part without one leaves the merged segment without.
      const parts = run.map((name) => ranges[name]);
      for (const name of run.slice(1)) {
        tx.delete(layout.segment(kind, task, name));
        delete counts[name];
        delete ranges[name];
      }
      tx.write(layout.segment(kind, task, run[0]!), lines.join("\n") + "\n");
      counts[run[0]!] = lines.length;
      if (parts.every((range) => range !== undefined)) ranges[run[0]!] = idRange(parts.flat());
      else delete ranges[run[0]!];
    }
    run = [];
    runEntries = 0;
  };
  for (const name of candidates) {
    if (runEntries + counts[name]! > SEGMENT_TARGET_ENTRIES) await flush();
    run.push(name);
    runEntries += counts[name]!;
  }
  await flush();
}

/**
 * A view of the data branch at one commit plus this transaction's own writes. It lists only the
 * directories it touches (`state/`, `feedback/<task>/`, …), never the whole branch, so the cost
 * of a transaction does not grow with everything else the branch holds.
 */
class Transaction implements DataTransaction {
  readonly changes = new Map<string, string | null>() as Map<string, string | null> & FileChanges;
  #backend: GitBackend;
  #head: string | null;
  #listings = new Map<string, Promise<ReadonlyMap<string, string>>>();

  constructor(backend: GitBackend, head: string | null) {
    this.#backend = backend;
    this.#head = head;
  }

  /** Files below `dir` (no trailing slash; '' for the root) at the snapshot, listed once. */
  #listing(dir: string): Promise<ReadonlyMap<string, string>> {
    let listing = this.#listings.get(dir);
    if (!listing) {
      listing = this.#head === null ? Promise.resolve(new Map()) : this.#backend.listFiles(this.#head, dir);
      this.#listings.set(dir, listing);
    }
    return listing;
  }

  async read(path: string): Promise<string | null> {
    if (this.changes.has(path)) return this.changes.get(path) ?? null;
    const sha = (await this.#listing(path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "")).get(
      path,
    );
    return sha === undefined ? null : this.#backend.readBlob(sha);
  }

  async readJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | null> {
    const text = await this.read(path);
    return text === null ? null : schema.parse(JSON.parse(text));
  }

  async list(dir: string): Promise<string[]> {
    return [...(await this.listWithShas(dir)).keys()];
  }

  /** Files below `dir` at the snapshot with their blob shas; this transaction's writes have none. */
  async listWithShas(dir: string): Promise<Map<string, string>> {
    const trimmed = dir.replace(/\/$/, "");
    const prefix = trimmed === "" ? "" : `${trimmed}/`;
    const files = new Map<string, string>();
    for (const [path, sha] of await this.#listing(trimmed)) if (path.startsWith(prefix)) files.set(path, sha);
    for (const [path, text] of this.changes) {
      if (!path.startsWith(prefix)) continue;
      if (text === null) files.delete(path);
      else files.set(path, `pending:${path}`);
    }
    return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  }

  write(path: string, text: string): void {
    this.changes.set(path, text);
  }

  writeJson<S extends z.ZodType>(path: string, schema: S, value: z.input<S>): void {
    this.write(path, `${JSON.stringify(schema.parse(value), null, 2)}\n`);
  }

  delete(path: string): void {
    this.changes.set(path, null);
  }
}
