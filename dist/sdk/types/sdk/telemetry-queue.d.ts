/**
 * The background sender of feedback and traces. Calls return at once; entries are sent in
 * batches (at `flushAt` entries or every `flushInterval`), only the failed ones are retried,
 * the queue is bounded in count and bytes (what it must drop is counted and reported, never
 * silent), and after repeated failures it pauses (a circuit breaker) instead of hammering a
 * server that is down. `flush()` and `close()` never throw.
 */
export interface QueueOptions<T> {
    send(batch: T[]): Promise<void>;
    flushAt: number;
    flushIntervalMs: number;
    maxEntries: number;
    maxBytes: number;
    /** Consecutive failures that open the breaker, and how long it stays open. */
    breakerThreshold: number;
    breakerCooldownMs: number;
    onDrop?: (count: number, reason: string) => void;
    onError?: (error: unknown) => void;
    /**
     * Whether a failed send will fail the same way however often it is retried (the server
     * refused what it was sent: a 4xx other than 408 and 429), and what to do about it: `split`
     * when the fault may lie with one entry (the batch is halved until the bad entry is alone,
     * then it is dropped with the reason), `drop` when every entry would be refused alike (a bad
     * key). Null: transient, retried.
     */
    classify?: (error: unknown) => {
        action: "split" | "drop";
        reason: string;
    } | null;
}
export interface QueueStats {
    queued: number;
    sent: number;
    dropped: number;
    failures: number;
    breakerOpen: boolean;
}
export declare class TelemetryQueue<T> {
    #private;
    readonly stats: QueueStats;
    constructor(options: QueueOptions<T>);
    add(item: T): void;
    /** Sends everything queued (unless the breaker is open); never throws. */
    flush(): Promise<void>;
    /** Flushes, retrying through the breaker's pauses until `deadlineMs`; never throws. */
    close(deadlineMs?: number): Promise<void>;
}
