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
  classify?: (error: unknown) => { action: "split" | "drop"; reason: string } | null;
}

export interface QueueStats {
  queued: number;
  sent: number;
  dropped: number;
  failures: number;
  breakerOpen: boolean;
}

export class TelemetryQueue<T> {
  #options: QueueOptions<T>;
  #items: { item: T; bytes: number }[] = [];
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sending: Promise<void> | null = null;
  #consecutiveFailures = 0;
  #openUntil = 0;
  readonly stats: QueueStats = { queued: 0, sent: 0, dropped: 0, failures: 0, breakerOpen: false };

  constructor(options: QueueOptions<T>) {
    this.#options = options;
  }

  add(item: T): void {
    const bytes = JSON.stringify(item).length;
    if (this.#items.length >= this.#options.maxEntries || this.#bytes + bytes > this.#options.maxBytes) {
      this.stats.dropped++;
      this.#options.onDrop?.(
        1,
        this.#items.length >= this.#options.maxEntries
          ? `the queue holds ${this.#options.maxEntries} entries`
          : `the queue holds ${this.#options.maxBytes} bytes`,
      );
      return;
    }
    this.#items.push({ item, bytes });
    this.#bytes += bytes;
    this.stats.queued = this.#items.length;
    if (this.#items.length >= this.#options.flushAt) void this.#send();
    else this.#schedule();
  }

  /** Sends everything queued (unless the breaker is open); never throws. */
  async flush(): Promise<void> {
    while (this.#items.length > 0 || this.#sending) {
      await (this.#sending ?? this.#send());
      if (this.#items.length > 0 && Date.now() < this.#openUntil) return;
      if (this.#items.length > 0 && this.#consecutiveFailures > 0) return;
    }
  }

  /** Flushes, retrying through the breaker's pauses until `deadlineMs`; never throws. */
  async close(deadlineMs = 10_000): Promise<void> {
    const end = Date.now() + deadlineMs;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#items.length > 0 && Date.now() < end) {
      this.#openUntil = 0;
      await this.flush();
      if (this.#items.length > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, end - Date.now()))));
    }
    if (this.#items.length > 0) {
      this.stats.dropped += this.#items.length;
      this.#options.onDrop?.(this.#items.length, "Kaizen could not be reached before close() gave up");
      this.#items = [];
      this.#bytes = 0;
    }
  }

  /** Takes the first `count` entries off the queue. */
  #remove(count: number): void {
    const removed = this.#items.splice(0, count);
    this.#bytes -= removed.reduce((s, b) => s + b.bytes, 0);
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(this.#options.flushIntervalMs, this.#openUntil - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#send();
    }, wait);
    // A pending flush must not keep a process alive: close() is what guarantees delivery.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #send(): Promise<void> {
    if (this.#sending) return this.#sending;
    if (Date.now() < this.#openUntil) {
      this.#schedule();
      return Promise.resolve();
    }
    this.#sending = (async () => {
      // Halved while a permanent refusal is being narrowed down to the entry at fault.
      let size = this.#options.flushAt;
      while (this.#items.length > 0) {
        const batch = this.#items.slice(0, size);
        try {
          await this.#options.send(batch.map((b) => b.item));
          this.#remove(batch.length);
          this.stats.sent += batch.length;
          this.#consecutiveFailures = 0;
          this.stats.breakerOpen = false;
          size = Math.min(this.#options.flushAt, size * 2);
        } catch (error) {
          const permanent = this.#options.classify?.(error) ?? null;
          if (permanent) {
            // The server answered, so it is up: no breaker, no retry of the same request.
            this.#consecutiveFailures = 0;
            if (permanent.action === "split" && batch.length > 1) {
              size = Math.ceil(batch.length / 2);
              continue;
            }
            this.#remove(batch.length);
            this.stats.dropped += batch.length;
            this.#options.onDrop?.(
              batch.length,
              `the server refused ${batch.length === 1 ? "it" : "them"}: ${permanent.reason}`,
            );
            continue;
          }
          this.stats.failures++;
          this.#consecutiveFailures++;
          this.#options.onError?.(error);
          if (this.#consecutiveFailures >= this.#options.breakerThreshold) {
            this.#openUntil = Date.now() + this.#options.breakerCooldownMs;
            this.stats.breakerOpen = true;
          }
          this.#schedule();
          break;
        }
      }
      this.stats.queued = this.#items.length;
    })().finally(() => (this.#sending = null));
    return this.#sending;
  }
}
