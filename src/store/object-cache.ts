/**
 * The one cache of what never changes in a repository: git objects named by their sha (trees,
 * commits, blobs), GitHub's answers to reading them, and what is derived from them alone (the
 * files below a directory of a commit). Nothing in it can be stale, so the only question is
 * room: one least-recently-used cache (lru-cache), bounded in bytes. A GitHub client holds one
 * (src/github/git-object-cache.ts) and the store's GitHub backend uses the same, so an object
 * held twice by the two layers counts twice against one budget instead of against two.
 */
import { LRUCache } from "lru-cache";

/** What the cache holds, each under its own keys (a tree's sha means a tree, not its listing). */
export type ObjectKind = "response" | "tree" | "commit" | "blob" | "listing";

/** 128 MiB: a few whole listings of a large repository and the blobs a run reads. */
export const DEFAULT_OBJECT_CACHE_BYTES = 128 * 1024 * 1024;

/**
 * About what one entry of a tree or a listing takes in memory (its path, its sha, the Map's
 * slot): the estimate by which trees and listings count against the budget.
 */
export const ENTRY_BYTES = 160;

export class ObjectCache {
  readonly #lru: LRUCache<string, { value: unknown }>;

  /**
   * @param maxBytes what all objects together may take; one object may take a quarter of it
   *   (a larger one is not kept, and is read again when asked for)
   */
  constructor(readonly maxBytes = DEFAULT_OBJECT_CACHE_BYTES) {
    this.#lru = new LRUCache({ maxSize: maxBytes, maxEntrySize: Math.floor(maxBytes / 4) });
  }

  get<T>(kind: ObjectKind, key: string): T | undefined {
    return this.#lru.get(`${kind} ${key}`)?.value as T | undefined;
  }

  /** Keeps `value`, counted as `bytes` (at least 1), unless it alone is over a quarter of the budget. */
  set(kind: ObjectKind, key: string, value: unknown, bytes: number): void {
    this.#lru.set(`${kind} ${key}`, { value }, { size: Math.max(1, Math.ceil(bytes)) });
  }

  /** The keys of one kind, most recently used first. */
  keys(kind: ObjectKind): string[] {
    const prefix = `${kind} `;
    return [...this.#lru.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
  }

  /** How many objects, and what they are counted as together. */
  get size(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }
}
