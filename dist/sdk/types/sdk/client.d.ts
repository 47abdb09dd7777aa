/**
 * `KaizenClient`: the seeds' clients in TypeScript's idiom (camelCase methods, the wire's
 * snake_case fields, promises), with the same defaults: the key from KAIZEN_API_KEY, the base
 * URL from KAIZEN_BASE_URL then http://localhost:8000, a 300 s prompt cache, a 30 s timeout.
 * It never slows down or breaks the app it lives in: prompts are served stale or from a
 * fallback when Kaizen is down, and background feedback is queued, batched and retried.
 */
import { FeedbackResult, Job, OptimizeResult, PromptVersion, Task, TraceResult } from "../core/records.js";
import { type PromptSource } from "./prompt-cache.js";
import { type QueueStats } from "./telemetry-queue.js";
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
export type TraceInput = Omit<Partial<TraceResult>, "task_id" | "created_at"> & {
    task_id: string;
};
export declare class KaizenClient {
    #private;
    /** Prompt text served by getPrompt → its task, so instrument() knows which task a call is for. */
    readonly promptTasks: Map<string, string>;
    /** Prompt text served by getPrompt → its version id, so instrument() fills prompt_version_id. */
    readonly promptVersions: Map<string, string>;
    /**
     * @example
     * const kaizen = new KaizenClient(); // KAIZEN_API_KEY, KAIZEN_BASE_URL
     * const { prompt } = await kaizen.getPrompt("summarize_ticket", { fallback: "Summarize: {{ticket}}" });
     */
    constructor(options?: KaizenClientOptions);
    /** Counters of the background queues: what was sent, what is waiting, what had to be dropped. */
    get queueStats(): {
        feedback: QueueStats;
        traces: QueueStats;
    };
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
    getPrompt(task: string, options?: GetPromptOptions): Promise<PromptResult>;
    /** Drops the cached prompt of one task. */
    invalidate(task: string): void;
    listPrompts(task: string): Promise<PromptVersion[]>;
    activatePrompt(task: string, versionId: string): Promise<PromptVersion>;
    /**
     * Logs feedback. By default resolves to the FeedbackResult once the server committed it;
     * with `{ background: true }` it returns at once (with the client-generated id) and sends in
     * batches.
     */
    logFeedback(entry: FeedbackEntry, options?: {
        background?: boolean;
    }): Promise<FeedbackResult>;
    /** Queues a trace (instrument() uses it); sent in the background in batches. */
    recordTrace(trace: TraceInput): void;
    score(traceId: string, score: number, scoredBy?: string): Promise<TraceResult>;
    createTask(task: {
        name: string;
    } & Record<string, unknown>): Promise<Task>;
    /**
     * The repository's tasks by name: one page with `limit` (at most 200) and `offset`, every task
     * (page after page) without.
     *
     * @example
     * const firstTen = await kaizen.listTasks({ limit: 10 });
     */
    listTasks(options?: {
        limit?: number;
        offset?: number;
    }): Promise<Task[]>;
    getTask(task: string): Promise<Task>;
    triggerOptimization(task: string): Promise<OptimizeResult>;
    getJob(jobId: string): Promise<Job>;
    listJobs(options?: {
        taskId?: string;
        limit?: number;
        offset?: number;
    }): Promise<Job[]>;
    retryPr(jobId: string): Promise<Job>;
    /**
     * Polls a job until it is SUCCESS, FAILED or PR_FAILED: the seeds' hand-written loop.
     * @example const job = await kaizen.waitForJob(result.job.id, { onProgress: (j) => console.log(j.progress_step) });
     */
    waitForJob(jobId: string, options?: {
        interval?: number;
        timeout?: number;
        onProgress?: (job: Job) => void;
    }): Promise<Job>;
    /** Sends everything queued; never throws. */
    flush(): Promise<void>;
    /** Sends everything queued (retrying through short outages) and stops; never throws. */
    /**
     * Reports a problem through `onWarning` (by default `console.warn`); `instrument()` uses it.
     *
     * @example kaizen.warn("a call matched no task")
     */
    warn(message: string): void;
    close(): Promise<void>;
    [Symbol.asyncDispose](): Promise<void>;
}
