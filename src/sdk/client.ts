/**
 * `KaizenClient`: the seeds' clients in TypeScript's idiom (camelCase methods, the wire's
 * snake_case fields, promises), with the same defaults: the key from KAIZEN_API_KEY, the base
 * URL from KAIZEN_BASE_URL then http://localhost:8000, a 300 s prompt cache, a 30 s timeout.
 * It never slows down or breaks the app it lives in: prompts are served stale or from a
 * fallback when Kaizen is down, and background feedback is queued, batched and retried.
 */
import { FeedbackResult, Job, OptimizeResult, PromptVersion, Task, TraceResult } from "../core/records.js";
import { KaizenAPIError, KaizenConfigError } from "./errors.js";
import { request, type HttpOptions } from "./http.js";
import { uuidv7 } from "./ids.js";
import { parseCanaryHeader, servesCandidate } from "../core/canary-split.js";
import { PromptCache, type PromptSource } from "./prompt-cache.js";
import { TelemetryQueue, type QueueStats } from "./telemetry-queue.js";

export interface KaizenClientOptions {
  apiKey?: string;
  baseUrl?: string;
  /** Seconds a prompt is served without asking the server (default 300). */
  cacheTtl?: number;
  /** Seconds a stale prompt may still be served while the server is unreachable (default 24 h). */
  maxStaleAge?: number;
  /** Seconds before a request is abandoned (default 30). */
  timeout?: number;
  maxRetries?: number;
  /** Send feedback in the background by default (logFeedback returns at once). */
  background?: boolean;
  flushAt?: number;
  /** Seconds between background flushes (default 1). */
  flushInterval?: number;
  maxQueueSize?: number;
  maxQueueBytes?: number;
  /** Seconds close() keeps retrying queued entries through an outage before dropping them (default 10). */
  closeTimeout?: number;
  /** Serverless: send each background batch at once, or hand its promise to the platform. */
  waitUntil?: (promise: Promise<unknown>) => void;
  fetch?: typeof fetch;
  /** Where warnings go (stale prompts, dropped entries); default console.warn. */
  onWarning?: (message: string) => void;
  /** Environment variables (default: process.env where there is one). */
  env?: Record<string, string | undefined>;
}

export interface FeedbackEntry {
  taskId: string;
  inputs?: Record<string, unknown> | null;
  output?: string | null;
  score?: number | null;
  source?: string;
  metadata?: Record<string, unknown> | null;
  /** Your own id makes a retry harmless; one is generated when absent. */
  id?: string;
  /**
   * The unit (user, session, request) the output was for: the version getPrompt served it
   * through this client becomes the entry's `prompt_version_id`, for the canary.
   */
  unit?: string;
  /** The version that produced the output, when you know it (wins over `unit`). */
  promptVersionId?: string;
}

export interface GetPromptOptions {
  /** Served (with a warning) when nothing is cached and Kaizen cannot answer. */
  fallback?: string;
  /**
   * A user, session or request id. While the task's canary runs, the candidate is served to its
   * share of units (the same unit always the same version); without one, the active version.
   */
  unit?: string;
}

export interface PromptResult {
  prompt: PromptVersion;
  source: PromptSource;
}

export type TraceInput = Omit<Partial<TraceResult>, "task_id" | "created_at"> & { task_id: string };

const TERMINAL = new Set(["SUCCESS", "FAILED", "PR_FAILED"]);
/** The server's largest page of tasks: listing every task takes the fewest requests. */
const TASK_PAGE = 200;
/** Units whose served version the client remembers for logFeedback. */
const MAX_REMEMBERED_UNITS = 10_000;

export class KaizenClient {
  #http: HttpOptions;
  #cache = new PromptCache();
  #ttlMs: number;
  #maxStaleMs: number;
  #background: boolean;
  #warn: (message: string) => void;
  #feedbackQueue: TelemetryQueue<FeedbackResultInput>;
  #traceQueue: TelemetryQueue<TraceInput>;
  #waitUntil: ((promise: Promise<unknown>) => void) | null;
  #closeTimeoutMs: number;
  /** Prompt text served by getPrompt → its task, so instrument() knows which task a call is for. */
  readonly promptTasks = new Map<string, string>();
  /** Prompt text served by getPrompt → its version id, so instrument() fills prompt_version_id. */
  readonly promptVersions = new Map<string, string>();
  /** `task\nunit` → the version served to that unit, for logFeedback's prompt_version_id. */
  #unitVersions = new Map<string, string>();

  /**
   * @example
   * const kaizen = new KaizenClient(); // KAIZEN_API_KEY, KAIZEN_BASE_URL
   * const { prompt } = await kaizen.getPrompt("summarize_ticket", { fallback: "Summarize: {{ticket}}" });
   */
  constructor(options: KaizenClientOptions = {}) {
    const env =
      options.env ??
      (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ??
      {};
    const apiKey = options.apiKey ?? env.KAIZEN_API_KEY;
    if (!apiKey) throw new KaizenConfigError("no Kaizen API key: pass { apiKey } or set KAIZEN_API_KEY");
    this.#http = {
      apiKey,
      baseUrl: options.baseUrl ?? env.KAIZEN_BASE_URL ?? "http://localhost:8000",
      timeoutMs: (options.timeout ?? 30) * 1000,
      maxRetries: options.maxRetries ?? 2,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    };
    this.#ttlMs = (options.cacheTtl ?? 300) * 1000;
    this.#maxStaleMs = (options.maxStaleAge ?? 24 * 3600) * 1000;
    this.#background = options.background ?? false;
    this.#warn = options.onWarning ?? ((message) => console.warn(`[kaizen] ${message}`));
    this.#waitUntil = options.waitUntil ?? null;
    this.#closeTimeoutMs = (options.closeTimeout ?? 10) * 1000;
    const queue = <T>(path: string, wrap: (batch: T[]) => unknown) =>
      new TelemetryQueue<T>({
        send: async (batch) => {
          await request(this.#http, "POST", path, wrap(batch));
        },
        flushAt: options.flushAt ?? 100,
        flushIntervalMs: (options.flushInterval ?? 1) * 1000,
        maxEntries: options.maxQueueSize ?? 10_000,
        maxBytes: options.maxQueueBytes ?? 10 * 1024 * 1024,
        breakerThreshold: 3,
        breakerCooldownMs: 5_000,
        onDrop: (count, reason) =>
          this.#warn(`dropped ${count} queued entr${count === 1 ? "y" : "ies"}: ${reason}`),
        onError: (error) => this.#warn(`background send failed, will retry: ${(error as Error).message}`),
        classify: permanentRefusal,
      });
    this.#feedbackQueue = queue<FeedbackResultInput>("/api/v1/feedback/batch", (batch) => ({
      feedback: batch,
    }));
    this.#traceQueue = queue<TraceInput>("/api/v1/traces", (batch) => ({ traces: batch }));
  }

  /** Counters of the background queues: what was sent, what is waiting, what had to be dropped. */
  get queueStats(): { feedback: QueueStats; traces: QueueStats } {
    return { feedback: this.#feedbackQueue.stats, traces: this.#traceQueue.stats };
  }

  // ---- prompts ---------------------------------------------------------------------------

  /**
   * The task's active prompt: cached for the TTL, revalidated in the background, served stale
   * (up to maxStaleAge) or from `fallback` when Kaizen is slow or down, never an exception
   * that takes the app down when one of those exists. With `unit`, the canary's candidate for
   * its share of units; decided here from the cached split (one fetch serves every unit), and
   * the active version whenever the candidate cannot be had.
   *
   * @example
   * const { prompt } = await kaizen.getPrompt("summarize_ticket", { unit: user.id });
   * await kaizen.logFeedback({ taskId: "summarize_ticket", unit: user.id, output, score: 1 });
   */
  async getPrompt(task: string, options: GetPromptOptions = {}): Promise<PromptResult> {
    const served = await this.#activePrompt(task, options);
    if (options.unit === undefined) return served;
    const version = await this.#forUnit(task, options.unit, served).catch(() => served.prompt);
    this.#rememberUnit(task, options.unit, version.id);
    return version === served.prompt ? served : this.#served(task, version, served.source);
  }

  /** The candidate when the cached split gives it this unit, else the active version. */
  async #forUnit(task: string, unit: string, served: PromptResult): Promise<PromptVersion> {
    const split = this.#cache.get(this.#cacheKey(task))?.canary;
    if (!split || split.share <= 0 || split.active !== served.prompt.id) return served.prompt;
    if (!(await servesCandidate(unit, split.candidate, split.share))) return served.prompt;
    const key = `${this.#cacheKey(task)}\nversion\n${split.candidate}`;
    const cached = this.#cache.get(key);
    if (cached) return cached.prompt;
    // The candidate is fetched once, through a unit the server gives it to, then cached by id.
    const loaded = await this.#cache.singleFlight(key, async () => {
      const response = await request<unknown>(
        this.#http,
        "GET",
        `/api/v1/tasks/${encodeURIComponent(task)}/prompt?unit=${encodeURIComponent(unit)}`,
      );
      const prompt = PromptVersion.parse(response.body);
      if (prompt.id !== split.candidate) return null;
      const entry = { prompt, etag: response.headers.get("etag"), fetchedAt: Date.now(), canary: null };
      this.#cache.set(key, entry);
      return entry;
    });
    return loaded?.prompt ?? served.prompt;
  }

  #rememberUnit(task: string, unit: string, versionId: string): void {
    const key = `${task}\n${unit}`;
    this.#unitVersions.delete(key);
    this.#unitVersions.set(key, versionId);
    // Bounded: the oldest units are forgotten first (their feedback then names no version).
    if (this.#unitVersions.size > MAX_REMEMBERED_UNITS)
      this.#unitVersions.delete(this.#unitVersions.keys().next().value as string);
  }

  async #activePrompt(task: string, options: GetPromptOptions): Promise<PromptResult> {
    const key = this.#cacheKey(task);
    const cached = this.#cache.get(key);
    const age = cached ? Date.now() - cached.fetchedAt : Infinity;
    if (cached && age < this.#ttlMs) return this.#served(task, cached.prompt, "fresh");
    if (cached && age < this.#maxStaleMs) {
      // Serve at once; one refresh runs behind it.
      if (!this.#cache.isRefreshing(key))
        void this.#refresh(task, key).catch((error: unknown) =>
          this.#warn(`serving a stale prompt for ${task}: ${(error as Error).message}`),
        );
      return this.#served(task, cached.prompt, "stale");
    }
    try {
      const fresh = await this.#refresh(task, key);
      if (fresh) return this.#served(task, fresh.prompt, "fresh");
      throw new KaizenAPIError(404, { detail: `task ${task} has no active prompt` }, new Headers(), "");
    } catch (error) {
      if (options.fallback !== undefined && !(error instanceof KaizenAPIError && error.status === 401)) {
        this.#warn(`serving the fallback prompt for ${task}: ${(error as Error).message}`);
        // Version 0: not a version Kaizen stored, the caller's own text.
        const prompt: PromptVersion = {
          id: "00000000-0000-7000-8000-000000000000",
          task_id: "00000000-0000-7000-8000-000000000000",
          version_number: 0,
          prompt_text: options.fallback,
          eval_score: null,
          status: "active",
          optimizer: null,
          dspy_version: null,
          created_at: new Date(0).toISOString(),
          job_id: null,
        };
        return this.#served(task, prompt, "fallback");
      }
      throw error;
    }
  }

  #served(task: string, prompt: PromptVersion, source: PromptSource): PromptResult {
    if (prompt.prompt_text) {
      this.promptTasks.set(prompt.prompt_text, task);
      if (source !== "fallback") this.promptVersions.set(prompt.prompt_text, prompt.id);
    }
    return { prompt, source };
  }

  #cacheKey(task: string): string {
    return `${this.#http.baseUrl}\n${this.#http.apiKey}\n${task}`;
  }

  #refresh(task: string, key: string) {
    return this.#cache.singleFlight(key, async () => {
      const previous = this.#cache.get(key);
      try {
        const response = await request<unknown>(
          this.#http,
          "GET",
          `/api/v1/tasks/${encodeURIComponent(task)}/prompt`,
          undefined,
          previous?.etag ? { "if-none-match": previous.etag } : {},
        );
        if (response.status === 304 && previous) {
          const renewed = { ...previous, fetchedAt: Date.now(), canary: parseCanaryHeader(response.headers) };
          this.#cache.set(key, renewed);
          return renewed;
        }
        const entry = {
          prompt: PromptVersion.parse(response.body),
          etag: response.headers.get("etag"),
          fetchedAt: Date.now(),
          canary: parseCanaryHeader(response.headers),
        };
        this.#cache.set(key, entry);
        return entry;
      } catch (error) {
        // A task that is gone must not be served forever from the cache.
        if (error instanceof KaizenAPIError && error.status === 404) {
          this.#cache.delete(key);
          return null;
        }
        throw error;
      }
    });
  }

  /** Drops the cached prompt of one task. */
  invalidate(task: string): void {
    this.#cache.delete(this.#cacheKey(task));
  }

  async listPrompts(task: string): Promise<PromptVersion[]> {
    return (await this.#get<unknown[]>(`/api/v1/tasks/${encodeURIComponent(task)}/prompts`)).map((p) =>
      PromptVersion.parse(p),
    );
  }

  async activatePrompt(task: string, versionId: string): Promise<PromptVersion> {
    const prompt = PromptVersion.parse(
      await this.#post(`/api/v1/tasks/${encodeURIComponent(task)}/prompts/${versionId}/activate`),
    );
    this.invalidate(task);
    return prompt;
  }

  // ---- feedback and traces ---------------------------------------------------------------

  /**
   * Logs feedback. By default resolves to the FeedbackResult once the server committed it;
   * with `{ background: true }` it returns at once (with the client-generated id) and sends in
   * batches.
   */
  async logFeedback(entry: FeedbackEntry, options: { background?: boolean } = {}): Promise<FeedbackResult> {
    const body: FeedbackResultInput = {
      id: entry.id ?? uuidv7(),
      task_id: entry.taskId,
      inputs: entry.inputs ?? null,
      output: entry.output ?? null,
      score: entry.score ?? null,
      source: entry.source ?? "sdk",
      metadata: entry.metadata ?? null,
      prompt_version_id:
        entry.promptVersionId ??
        (entry.unit === undefined ? undefined : this.#unitVersions.get(`${entry.taskId}\n${entry.unit}`)) ??
        null,
    };
    if (options.background ?? this.#background) {
      this.#feedbackQueue.add(body);
      if (this.#waitUntil) this.#waitUntil(this.#feedbackQueue.flush());
      return FeedbackResult.parse({
        ...body,
        task_id: "00000000-0000-7000-8000-000000000000",
        created_at: new Date().toISOString(),
      });
    }
    return FeedbackResult.parse(await this.#post("/api/v1/feedback", body));
  }

  /** Queues a trace (instrument() uses it); sent in the background in batches. */
  recordTrace(trace: TraceInput): void {
    this.#traceQueue.add(trace);
    if (this.#waitUntil) this.#waitUntil(this.#traceQueue.flush());
  }

  async score(traceId: string, score: number, scoredBy = "sdk"): Promise<TraceResult> {
    await this.#traceQueue.flush();
    return TraceResult.parse(
      await this.#post(`/api/v1/traces/${traceId}/score`, { score, scored_by: scoredBy }),
    );
  }

  // ---- tasks and jobs --------------------------------------------------------------------

  async createTask(task: { name: string } & Record<string, unknown>): Promise<Task> {
    return Task.parse(await this.#post("/api/v1/tasks", task));
  }

  /**
   * The repository's tasks by name: one page with `limit` (at most 200) and `offset`, every task
   * (page after page) without.
   *
   * @example
   * const firstTen = await kaizen.listTasks({ limit: 10 });
   */
  async listTasks(options: { limit?: number; offset?: number } = {}): Promise<Task[]> {
    const page = async (limit: number, offset: number) =>
      (await this.#get<unknown[]>(`/api/v1/tasks?limit=${limit}&offset=${offset}`)).map((t) => Task.parse(t));
    if (options.limit !== undefined) return page(options.limit, options.offset ?? 0);
    const tasks: Task[] = [];
    for (let offset = options.offset ?? 0; ; offset += TASK_PAGE) {
      const next = await page(TASK_PAGE, offset);
      tasks.push(...next);
      if (next.length < TASK_PAGE) return tasks;
    }
  }

  async getTask(task: string): Promise<Task> {
    return Task.parse(await this.#get(`/api/v1/tasks/${encodeURIComponent(task)}`));
  }

  async triggerOptimization(task: string): Promise<OptimizeResult> {
    return OptimizeResult.parse(await this.#post(`/api/v1/tasks/${encodeURIComponent(task)}/optimize`));
  }

  async getJob(jobId: string): Promise<Job> {
    return Job.parse(await this.#get(`/api/v1/jobs/${jobId}`));
  }

  async listJobs(options: { taskId?: string; limit?: number; offset?: number } = {}): Promise<Job[]> {
    const query = new URLSearchParams(
      Object.entries({ task_id: options.taskId, limit: options.limit, offset: options.offset })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)] as [string, string]),
    );
    return (await this.#get<unknown[]>(`/api/v1/jobs${query.size ? `?${query}` : ""}`)).map((j) =>
      Job.parse(j),
    );
  }

  async retryPr(jobId: string): Promise<Job> {
    return Job.parse(await this.#post(`/api/v1/jobs/${jobId}/retry-pr`));
  }

  /**
   * Polls a job until it is SUCCESS, FAILED or PR_FAILED: the seeds' hand-written loop.
   * @example const job = await kaizen.waitForJob(result.job.id, { onProgress: (j) => console.log(j.progress_step) });
   */
  async waitForJob(
    jobId: string,
    options: { interval?: number; timeout?: number; onProgress?: (job: Job) => void } = {},
  ): Promise<Job> {
    const deadline = Date.now() + (options.timeout ?? 3600) * 1000;
    let last = "";
    for (;;) {
      const job = await this.getJob(jobId);
      const seen = `${job.status}/${job.progress_step}`;
      if (seen !== last) options.onProgress?.(job);
      last = seen;
      if (TERMINAL.has(job.status)) return job;
      if (Date.now() >= deadline)
        throw new KaizenConfigError(`job ${jobId} is still ${job.status} after ${options.timeout ?? 3600} s`);
      await new Promise((resolve) => setTimeout(resolve, (options.interval ?? 5) * 1000));
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Sends everything queued; never throws. */
  async flush(): Promise<void> {
    await Promise.all([this.#feedbackQueue.flush(), this.#traceQueue.flush()]);
  }

  /** Sends everything queued (retrying through short outages) and stops; never throws. */
  /**
   * Reports a problem through `onWarning` (by default `console.warn`); `instrument()` uses it.
   *
   * @example kaizen.warn("a call matched no task")
   */
  warn(message: string): void {
    this.#warn(message);
  }

  async close(): Promise<void> {
    await Promise.all([
      this.#feedbackQueue.close(this.#closeTimeoutMs),
      this.#traceQueue.close(this.#closeTimeoutMs),
    ]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #get<T>(path: string): Promise<T> {
    return (await request<T>(this.#http, "GET", path)).body;
  }

  async #post<T>(path: string, body?: unknown): Promise<T> {
    return (await request<T>(this.#http, "POST", path, body)).body;
  }
}

/**
 * A 4xx other than 408 (timeout) and 429 (slow down) says the server will refuse the same
 * request again: retrying it forever would hold back every valid entry queued behind it.
 */
function permanentRefusal(error: unknown): { action: "split" | "drop"; reason: string } | null {
  if (!(error instanceof KaizenAPIError)) return null;
  const { status } = error;
  if (status < 400 || status >= 500 || status === 408 || status === 429) return null;
  const detail = typeof error.detail === "string" ? error.detail : JSON.stringify(error.detail);
  const reason = `${status} ${detail}`;
  // A bad or revoked key refuses every entry alike; anything else may be one entry's fault.
  return { action: status === 401 || status === 403 ? "drop" : "split", reason };
}

interface FeedbackResultInput {
  id: string;
  task_id: string;
  inputs: Record<string, unknown> | null;
  output: string | null;
  score: number | null;
  source: string;
  metadata: Record<string, unknown> | null;
  prompt_version_id: string | null;
}
