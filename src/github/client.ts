/**
 * The Octokit every part of Kaizen uses to reach GitHub: `octokit`'s client with its retry and
 * throttling plugins configured for a bot that must stay inside the secondary rate limits, and
 * the ETag cache. Tests turn retry and throttling off unless they are about them.
 */
import { Octokit } from "octokit";
import { installEtagCache } from "./etag-cache.js";

export interface GitHubClientOptions {
  auth: string;
  /** `https://api.github.com` unless GitHub Enterprise or the fake. */
  baseUrl?: string;
  retry?: boolean;
  throttle?: boolean;
  log?: { warn(message: string): void };
}

export type GitHubClient = Octokit & { etagCache: ReturnType<typeof installEtagCache> };

/**
 * @example
 * const octokit = createGitHubClient({ auth: process.env.GITHUB_TOKEN!, baseUrl: process.env.GITHUB_API_URL });
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.log ?? { warn: (message: string) => console.warn(message) };
  const octokit = new Octokit({
    auth: options.auth,
    baseUrl: options.baseUrl ?? "https://api.github.com",
    userAgent: "kaizen",
    retry: { enabled: options.retry ?? true },
    throttle: {
      enabled: options.throttle ?? true,
      onRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        log.warn(`GitHub rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfter} s`);
        return retryCount < 2;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        _octokit: unknown,
        retryCount: number,
      ) => {
        // Secondary limits punish bursts of content creation: wait as told, a few times.
        log.warn(
          `GitHub secondary rate limit on ${request.method} ${request.url}; retrying in ${retryAfter} s`,
        );
        return retryCount < 3;
      },
    },
  });
  return Object.assign(octokit, { etagCache: installEtagCache(octokit) });
}
