/**
 * Conditional requests for Octokit: a GET that was answered before is sent with its ETag, and
 * a `304 Not Modified` (which GitHub does not count against the rate limit) is answered from
 * the cache. Octokit surfaces a 304 as a RequestError; this layer turns it back into the
 * cached response. A git object read by its sha is not kept here: it never changes, so the
 * client's object cache (git-object-cache.ts) answers it without asking at all.
 */
import { LRUCache } from "lru-cache";
import type { Octokit } from "octokit";

/**
 * A read of a git object by its sha (a tree may also be asked for by a branch's name, which
 * changes, and is kept).
 */
function readsObjectBySha(options: Record<string, unknown> & { url: string }): boolean {
  const sha = /\/git\/(?:trees|commits|blobs)\/\{(tree_sha|commit_sha|file_sha)\}$/.exec(options.url)?.[1];
  return sha !== undefined && typeof options[sha] === "string" && /^[0-9a-f]{40}$/.test(options[sha]);
}

interface Cached {
  etag: string;
  response: unknown;
}

/**
 * Installs the cache on a client; returns a handle to drop entries (a webhook saying the data
 * branch changed) or everything.
 *
 * @example
 * const cache = installEtagCache(octokit, 500);
 * cache.invalidate((url) => url.includes("/git/ref/"));
 */
export function installEtagCache(octokit: Pick<Octokit, "hook">, maxEntries = 1_000) {
  const entries = new LRUCache<string, Cached>({ max: maxEntries });
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "GET" || readsObjectBySha(options)) return request(options);
    const key = `${options.url}?${JSON.stringify(Object.entries(options).filter(([k]) => !["method", "headers", "request", "baseUrl", "mediaType"].includes(k)))}`;
    const cached = entries.get(key);
    if (cached) options.headers = { ...options.headers, "if-none-match": cached.etag };
    try {
      const response = await request(options);
      const etag = response.headers.etag;
      if (etag) entries.set(key, { etag, response });
      return response;
    } catch (error) {
      if ((error as { status?: number }).status === 304 && cached) {
        return cached.response as Awaited<ReturnType<typeof request>>;
      }
      throw error;
    }
  });
  return {
    invalidate(predicate: (key: string) => boolean = () => true): void {
      for (const key of [...entries.keys()]) if (predicate(key)) entries.delete(key);
    },
    get size(): number {
      return entries.size;
    },
  };
}
