/**
 * The Octokit every part of Kaizen uses to reach GitHub: `octokit`'s client with its retry and
 * throttling plugins configured for a bot that must stay inside the secondary rate limits, the
 * ETag cache, the cache of git objects by sha, and (for one short run) the session of refs.
 * Tests turn retry and throttling off unless they are about them.
 */
import { Octokit } from "octokit";
import { installEtagCache } from "./etag-cache.js";
import { installGitObjectCache } from "./git-object-cache.js";
import { installRefSession } from "./ref-session.js";
import type { ObjectCache } from "../store/object-cache.js";

export interface GitHubClientOptions {
  auth: string;
  /** `https://api.github.com` unless GitHub Enterprise or the fake. */
  baseUrl?: string;
  retry?: boolean;
  throttle?: boolean;
  log?: { warn(message: string): void };
  /**
   * One short run (an Action run): a branch read or written once is known from then on, and
   * only a refused write makes the client read it again (see ref-session.ts). Never for the app.
   */
  session?: boolean;
}

export type GitHubClient = Octokit & {
  etagCache: ReturnType<typeof installEtagCache>;
  /** The client's cache of immutable git objects, which a GitHubStore over this client shares. */
  objects: ObjectCache;
};

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
    throttle: { enabled: options.throttle ?? true, ...rateLimitHandlers(log) },
  });
  const objects = installGitObjectCache(octokit);
  if (options.session) installRefSession(octokit);
  // Wrapped around the retry and throttling plugins: what these caches answer waits for nothing.
  return Object.assign(octokit, { etagCache: installEtagCache(octokit), objects });
}

/** The longest Kaizen waits for the primary rate limit to reset before giving up. */
export const PRIMARY_LIMIT_MAX_WAIT_S = 60;

type RateLimitHandler = (
  retryAfter: number,
  request: { method: string; url: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

/**
 * What Kaizen does at a rate limit, the same in the app and the Action: wait as GitHub says and
 * retry, twice for the primary limit and three times for a secondary one (Probot's own default
 * gives up at once on a secondary limit, losing the write).
 */
export function rateLimitHandlers(log: { warn(message: string): void }): {
  onRateLimit: RateLimitHandler;
  onSecondaryRateLimit: RateLimitHandler;
} {
  return {
    onRateLimit: (retryAfter, request, _octokit, retryCount) => {
      // The primary limit resets on the hour: a request (an API call, a webhook) must not hang
      // that long. Beyond a minute it fails with GitHub's answer, and callers say when to retry.
      if (retryAfter > PRIMARY_LIMIT_MAX_WAIT_S) {
        log.warn(
          `GitHub rate limit spent on ${request.method} ${request.url}; it resets in ${retryAfter} s, not waiting`,
        );
        return false;
      }
      log.warn(`GitHub rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfter} s`);
      return retryCount < 2;
    },
    onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
      // Secondary limits punish bursts of content creation: wait as told, a few times.
      log.warn(
        `GitHub secondary rate limit on ${request.method} ${request.url}; retrying in ${retryAfter} s`,
      );
      return retryCount < 3;
    },
  };
}

/** The options of an Octokit class that the app's factory reads and extends. */
interface OctokitDefaults {
  throttle?: Record<string, unknown>;
  baseUrl?: string;
  userAgent?: string;
}

/** The part of an Octokit class (Probot's) that the app's factory needs. */
interface OctokitClass {
  // The plugin and defaults signatures of @octokit/core are generic over every plugin; the
  // factory only chains them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  plugin(...plugins: any[]): any;
}

/**
 * The app's Octokit class, for `new Probot({ Octokit })`: Probot's client (its auth, logging
 * and throttling plugins) with Kaizen's rate-limit handlers, retries and ETag cache, so the app
 * writes to GitHub exactly as the Action does. `throttle.enabled`, `retry.enabled` and Probot's
 * Redis connection given by the caller are kept.
 *
 * @example
 * const probot = new Probot({ appId, privateKey, secret, Octokit: appOctokitClass(ProbotOctokit) });
 */
export function appOctokitClass<C extends OctokitClass>(
  Base: C,
  options: { log?: { warn(message: string): void }; baseUrl?: string } = {},
): C {
  const log = options.log ?? { warn: (message: string) => console.warn(message) };
  const Plugged = Base.plugin((octokit: Pick<Octokit, "hook">) => {
    const objects = installGitObjectCache(octokit);
    return { etagCache: installEtagCache(octokit), objects };
  }) as { defaults(options: (instance: OctokitDefaults) => OctokitDefaults): C };
  return Plugged.defaults((instance) => ({
    ...instance,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    userAgent: "kaizen",
    throttle: { ...instance.throttle, ...rateLimitHandlers(log) },
  }));
}
