/**
 * Group commit of feedback and traces, per repository. A request is acknowledged only once its
 * entries are committed; requests that arrive while a commit is being made wait and go together
 * into the next one, and every commit waits for its turn from the installation's pacer, so that
 * all the repositories of an installation together stay inside GitHub's secondary limit on
 * content creation (80 content-creating requests a minute; a commit is three). A bounded queue
 * answers 429 when full.
 */
import type { FeedbackResult, TraceResult } from "../core/records.js";
import type { CanaryConfig } from "../core/task-config-schema.js";
import { foldFeedbackIntoCanary } from "../store/canary-state.js";
import type { AppendResult, DataTransaction, Store } from "../store/store.js";
import { HttpError } from "./api/http.js";
import { claimKeys, type KeyClaim } from "./idempotency.js";
import type { CommitPacer } from "./pacing.js";

export interface IngestionOptions {
  /** Hands out commit turns; shared by every repository of one installation. */
  pacer: CommitPacer;
  /** Entries waiting at most; beyond, requests get 429 with Retry-After. */
  maxQueued: number;
}

interface Waiting<T> {
  task: string;
  records: T[];
  retentionLimit: number;
  /** The task's canary: new scored entries are tallied in the commit that stores them. */
  canary: CanaryConfig | null;
  /** A keyed request's claim on its Idempotency-Key, checked and recorded in the commit. */
  claim: KeyClaim | null;
  resolve(result: AppendResult<T>): void;
  reject(error: unknown): void;
}

type Kind = "feedback" | "traces";

export interface IngestionStats {
  queued: number;
  commits: number;
  entries: number;
}

export class Ingestion {
  #store: Store;
  #options: IngestionOptions;
  #queues: { feedback: Waiting<FeedbackResult>[]; traces: Waiting<TraceResult>[] } = {
    feedback: [],
    traces: [],
  };
  #queued = 0;
  #flushing: Promise<void> | null = null;
  #lastKind: Kind | null = null;
  #afterCommit: (task: string, result: AppendResult<FeedbackResult>) => Promise<void>;
  readonly stats: IngestionStats = { queued: 0, commits: 0, entries: 0 };

  #log: (message: string) => void;

  constructor(
    store: Store,
    options: IngestionOptions,
    afterCommit: (task: string, result: AppendResult<FeedbackResult>) => Promise<void> = async () => {},
    log: (message: string) => void = () => {},
  ) {
    this.#log = log;
    this.#store = store;
    this.#options = options;
    this.#afterCommit = afterCommit;
  }

  get queued(): number {
    return this.#queued;
  }

  /**
   * Stores feedback (tallied by the task's canary, when it has one); resolves once it is
   * committed. With a claim, a key that names another request rejects with 422, storing nothing.
   */
  addFeedback(
    task: string,
    records: FeedbackResult[],
    retentionLimit: number,
    canary: CanaryConfig | null = null,
    claim: KeyClaim | null = null,
  ): Promise<AppendResult<FeedbackResult>> {
    return this.#enqueue("feedback", task, records, retentionLimit, canary, claim);
  }

  /** Stores traces, keeping the newest `retentionLimit` of the task; resolves once committed. */
  addTraces(
    task: string,
    records: TraceResult[],
    retentionLimit = Infinity,
    claim: KeyClaim | null = null,
  ): Promise<AppendResult<TraceResult>> {
    return this.#enqueue("traces", task, records, retentionLimit, null, claim);
  }

  /** Resolves when everything queued so far is committed (shutdown). */
  async drain(): Promise<void> {
    while (this.#flushing || this.#queued > 0) await (this.#flushing ?? this.#flush());
  }

  #enqueue<T extends FeedbackResult | TraceResult>(
    kind: Kind,
    task: string,
    records: T[],
    retentionLimit: number,
    canary: CanaryConfig | null,
    claim: KeyClaim | null,
  ): Promise<AppendResult<T>> {
    if (this.#queued + records.length > this.#options.maxQueued) {
      const seconds = Math.max(1, Math.ceil(this.#options.pacer.intervalMs / 1000));
      return Promise.reject(
        new HttpError(
          429,
          `ingestion queue is full (${this.#queued} entries waiting); retry after ${seconds} s`,
          { "retry-after": String(seconds) },
        ),
      );
    }
    this.#queued += records.length;
    this.stats.queued = this.#queued;
    const promise = new Promise<AppendResult<T>>((resolve, reject) => {
      (this.#queues[kind] as Waiting<T>[]).push({
        task,
        records,
        retentionLimit,
        canary,
        claim,
        resolve,
        reject,
      });
    });
    this.#flushing ??= this.#flush().catch((error: unknown) =>
      this.#log(`ingestion flush failed: ${(error as Error)?.stack ?? String(error)}`),
    );
    return promise;
  }

  get pacer(): CommitPacer {
    return this.#options.pacer;
  }

  /**
   * One commit per turn: the entries of one task are taken from the queue only once the pacer
   * gives the turn, so everything that arrived while waiting goes into that commit.
   */
  async #flush(): Promise<void> {
    try {
      for (;;) {
        // Feedback and traces take turns, so a steady stream of one never starves the other.
        const order: Kind[] = this.#lastKind === "feedback" ? ["traces", "feedback"] : ["feedback", "traces"];
        const kind = order.find((k) => this.#queues[k].length > 0);
        if (!kind) return;
        this.#lastKind = kind;
        await this.#options.pacer.turn();
        await this.#commitGroup(kind, this.#queues[kind][0]!.task, this.#take(kind), false);
      }
    } finally {
      this.#flushing = null;
    }
  }

  /** Removes and returns every waiting request of the oldest waiting task of this kind. */
  #take<T extends FeedbackResult | TraceResult>(kind: Kind): Waiting<T>[] {
    const queue = this.#queues[kind] as Waiting<T>[];
    const task = queue[0]!.task;
    const taken = queue.filter((w) => w.task === task);
    this.#queues[kind] = queue.filter((w) => w.task !== task) as never;
    return taken;
  }

  /**
   * Commits one task's waiting requests together. When the commit fails, the group is split in
   * halves and each half is tried on its own, so a request that cannot be stored fails alone
   * and every other request in its group is still stored (a few more commits, only on failure).
   */
  async #commitGroup<T extends FeedbackResult | TraceResult>(
    kind: Kind,
    task: string,
    group: Waiting<T>[],
    paced = true,
  ): Promise<void> {
    if (paced) await this.#options.pacer.turn();
    const all = group.flatMap((w) => w.records);
    let result: AppendResult<T> | null = null;
    let failure: unknown = null;
    try {
      const retention = Math.min(...group.map((w) => w.retentionLimit));
      const canary = group.find((w) => w.canary !== null)?.canary ?? null;
      const claims = group.flatMap((w) => (w.claim ? [w.claim] : []));
      // A claim that fails (a key reused with another request) fails this commit; the halves
      // below then store every other request of the group.
      const claimInCommit = (tx: DataTransaction) => claimKeys(tx, claims);
      result = (
        kind === "feedback"
          ? await this.#store.appendFeedback(task, all as FeedbackResult[], {
              retentionLimit: retention,
              inCommit: async (tx, fresh) => {
                await claimInCommit(tx);
                if (canary) await foldFeedbackIntoCanary(tx, task, fresh, canary);
              },
            })
          : await this.#store.appendTraces(task, all as TraceResult[], {
              ...(Number.isFinite(retention) ? { retentionLimit: retention } : {}),
              inCommit: claimInCommit,
            })
      ) as AppendResult<T>;
      if (result.commit) this.stats.commits++;
      this.stats.entries += result.added;
    } catch (error) {
      failure = error;
    }
    if (!result) {
      if (group.length === 1) {
        this.#queued -= all.length;
        this.stats.queued = this.#queued;
        group[0]!.reject(failure);
        return;
      }
      const half = Math.ceil(group.length / 2);
      await this.#commitGroup(kind, task, group.slice(0, half));
      await this.#commitGroup(kind, task, group.slice(half));
      return;
    }
    this.#queued -= all.length;
    this.stats.queued = this.#queued;
    let offset = 0;
    for (const w of group) {
      const records = result.records.slice(offset, offset + w.records.length);
      // A record stored now comes back exactly as given; a duplicate comes back as the entry
      // stored first under its id (another created_at), so each request learns its own counts.
      const added = records.filter((r, i) => JSON.stringify(r) === JSON.stringify(w.records[i])).length;
      w.resolve({ ...result, records, added, duplicates: records.length - added });
      offset += w.records.length;
    }
    if (kind === "feedback")
      await this.#afterCommit(task, result as AppendResult<FeedbackResult>).catch((error: unknown) =>
        this.#log(`after committing feedback of ${task}: ${(error as Error).message}`),
      );
  }
}
