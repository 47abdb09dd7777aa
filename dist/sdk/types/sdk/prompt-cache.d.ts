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
export declare class PromptCache {
    #private;
    constructor(maxEntries?: number);
    get(key: string): CachedPrompt | undefined;
    set(key: string, entry: CachedPrompt): void;
    delete(key: string): void;
    /** One request per key at a time: concurrent callers share it. */
    singleFlight(key: string, load: () => Promise<CachedPrompt | null>): Promise<CachedPrompt | null>;
    isRefreshing(key: string): boolean;
}
