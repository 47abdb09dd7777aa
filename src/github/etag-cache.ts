/**
 * Conditional requests for Octokit: a GET that was answered before is sent with its ETag, and
 * a `304 Not Modified` (which GitHub does not count against the rate limit) is answered from
 * the cache. Octokit surfaces a 304 as a RequestError; this layer turns it back into the
 * cached response.
 */
import type { Octokit } from "octokit";

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
  const entries = new Map<string, Cached>();
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "GET") return request(options);
    const key = `${options.url}?${JSON.stringify(Object.entries(options).filter(([k]) => !["method", "headers", "request", "baseUrl", "mediaType"].includes(k)))}`;
    const cached = entries.get(key);
    if (cached) options.headers = { ...options.headers, "if-none-match": cached.etag };
    try {
      const response = await request(options);
      const etag = response.headers.etag;
      if (etag) {
        entries.delete(key);
        entries.set(key, { etag, response });
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      }
      return response;
    } catch (error) {
      if ((error as { status?: number }).status === 304 && cached) {
        entries.delete(key);
        entries.set(key, cached);
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
