/**
 * getPrompt's cache: fresh for the TTL; then served at once while one background refresh
 * revalidates it (ETag, so an unchanged prompt costs a 304); when the server is slow or down,
 * stale entries keep being served up to a maximum stale age; concurrent misses make one
 * request; a 404 evicts. Bounded (least recently used first out).
 */
import type { PromptVersion } from "../core/records.js";
import type { CanarySplit } from "../core/canary-split.js";

export interface CachedPrompt {
  prompt: PromptVersion;
  etag: string | null;
  fetchedAt: number;
  /** The canary's split as the server announced it with the active version, or null. */
  canary: CanarySplit | null;
}

export type PromptSource = "fresh" | "stale" | "fallback";

export class PromptCache {
  #entries = new Map<string, CachedPrompt>();
  #inFlight = new Map<string, Promise<CachedPrompt | null>>();
  #max: number;

  constructor(maxEntries = 500) {
    this.#max = maxEntries;
  }

  get(key: string): CachedPrompt | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedPrompt): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** One request per key at a time: concurrent callers share it. */
  singleFlight(key: string, load: () => Promise<CachedPrompt | null>): Promise<CachedPrompt | null> {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const promise = load().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }

  isRefreshing(key: string): boolean {
    return this.#inFlight.has(key);
  }
}
