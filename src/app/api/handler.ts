/**
 * Kaizen's HTTP API as one request handler: authentication, routing, idempotency keys, the
 * error contract (`{"detail": ...}`, never a 500 for bad input), conditional GETs and metrics.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { NotFoundError, PathTakenError, ValidationError } from "../../core/errors.js";
import type { ApiKeyRecord } from "../../core/records.js";
import { SymlinkRefusedError, UnsafeGitNameError } from "../../store/backend.js";
import { GitHubStoreError } from "../../store/github-backend.js";
import { keyMatches, parseApiKey, type ParsedKey } from "../auth/api-keys.js";
import {
  Coalescer,
  IDEMPOTENCY_MISMATCH,
  idempotencyScope,
  recall,
  remember,
  requestFingerprint,
} from "../idempotency.js";
import type { Metrics } from "../metrics.js";
import type { RepoContext, RepoDirectory } from "../repo-context.js";
import { resolveTask } from "../tasks.js";
import { BATCH_BODY_LIMIT, BODY_LIMIT, type Authenticated } from "./context.js";
import { idempotencyKeyOf } from "./entry-ids.js";
import { configErrorResponse } from "./config-errors.js";
import { HttpError, parseRequestTarget, readJsonBody, sendJson } from "./http.js";
import { openApiDocument } from "./openapi.js";
import { Router, type ApiRequest, type ApiResponse } from "./router.js";
import { registerFeedbackRoutes } from "./routes/feedback.js";
import { registerJobCancelRoute } from "./routes/job-cancel.js";
import { registerJobRoutes } from "./routes/jobs.js";
import { registerKeyRoutes, type AdminChecker } from "./routes/keys.js";
import { registerPromptRoutes } from "./routes/prompts.js";
import { registerTaskRoutes } from "./routes/tasks.js";
import { registerTraceRoutes } from "./routes/traces.js";

export interface ApiOptions {
  directory: RepoDirectory;
  admin: AdminChecker;
  metrics: Metrics;
  /** Every repository served, for /metrics. */
  repos(): readonly RepoContext[];
  log?: (message: string) => void;
  /** Where a key's record lives; default: read from the key itself (`kaizen serve` also takes the operator's own). */
  locateKey?: (key: string) => ParsedKey | null;
}

/**
 * How long a verified key is trusted without reading its record again: the bound on how long a
 * key revoked through another instance keeps working here (docs/self-hosting.md). The instance
 * that revokes a key forgets it at once.
 */
export const KEY_CACHE_MS = 10_000;

export function buildRouters(admin: AdminChecker, invalidateKey: (id: string) => void) {
  const api = new Router<Authenticated>();
  registerTaskRoutes(api);
  registerFeedbackRoutes(api);
  registerPromptRoutes(api);
  registerJobRoutes(api);
  registerJobCancelRoute(api);
  registerTraceRoutes(api);
  const keys = new Router<null>();
  registerKeyRoutes(keys, admin, invalidateKey);
  return { api, keys };
}

/**
 * @example
 * const handle = createApiHandler({ directory, admin, metrics, repos: () => [repo] });
 * createServer((req, res) => void handle(req, res));
 */
export function createApiHandler(
  options: ApiOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const verified = new Map<string, { record: ApiKeyRecord; repo: RepoContext; until: number }>();
  const once = new Coalescer();
  const { api, keys } = buildRouters(options.admin, (id) => {
    for (const [key, entry] of verified) if (entry.record.id === id) verified.delete(key);
  });

  async function authenticate(req: IncomingMessage): Promise<Authenticated> {
    const header = req.headers["x-api-key"];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new HttpError(401, "missing X-API-Key header", { "www-authenticate": "X-API-Key" });
    const cached = verified.get(key);
    if (cached && cached.until > Date.now()) return { repo: cached.repo, key: cached.record };
    const parsed = (options.locateKey ?? parseApiKey)(key);
    const repo = parsed ? await options.directory.byRepoKey(parsed.repoKey) : null;
    const record = repo && parsed ? await repo.store.getKey(parsed.keyId) : null;
    if (!repo || !record || !keyMatches(key, record))
      throw new HttpError(401, "invalid API key", { "www-authenticate": "X-API-Key" });
    verified.set(key, { record, repo, until: Date.now() + KEY_CACHE_MS });
    return { repo, key: record };
  }

  return async (req, res) => {
    const requestId = (req.headers["x-request-id"] as string | undefined) ?? randomUUID();
    const method = req.method ?? "GET";
    let routeName = "unmatched";
    // Parsed inside the error contract: a target URL refuses (`//`, `//[`, a port of 99999) is a 400.
    let url = new URL("http://kaizen/");
    const reply = (response: ApiResponse) => {
      options.metrics.countRequest(method, routeName, response.status);
      const headers: Record<string, string> = { "x-request-id": requestId, ...response.headers };
      if (
        method === "GET" &&
        response.status === 200 &&
        headers.etag &&
        req.headers["if-none-match"] === headers.etag
      )
        return sendJson(res, 304, undefined, headers);
      sendJson(res, response.status, response.body, headers);
    };
    try {
      url = parseRequestTarget(req.url);
      if (url.pathname === "/healthz") return reply({ status: 200, body: { status: "ok" } });
      if (url.pathname === "/api/v1/openapi.json" && method === "GET")
        return reply({ status: 200, body: openApiDocument() });
      if (url.pathname === "/metrics") {
        // Open to scrapers without credentials (aggregates only); a repository's key adds its own lines.
        routeName = "/metrics";
        const auth = req.headers["x-api-key"] ? await authenticate(req) : null;
        options.metrics.countRequest(method, "/metrics", 200);
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        return void res.end(options.metrics.render(options.repos(), auth?.repo ?? null));
      }
      const request = (params: Record<string, string>, limit: number): ApiRequest => {
        let body: Promise<unknown> | null = null;
        return {
          method,
          path: url.pathname,
          params,
          query: url.searchParams,
          headers: req.headers,
          json: () => (body ??= readJsonBody(req, limit)),
        };
      };
      const limitFor = (path: string) =>
        path.endsWith("/batch") || path.endsWith("/traces") ? BATCH_BODY_LIMIT : BODY_LIMIT;

      const keyRoute = keys.match(method, url.pathname);
      if (keyRoute.route) {
        routeName = keyRoute.route.template;
        return reply(await keyRoute.route.handler(request(keyRoute.params, BODY_LIMIT), null));
      }
      const match = api.match(method, url.pathname);
      if (!match.route) {
        const allowed = [...match.allowed, ...(keyRoute.route === null ? keyRoute.allowed : [])];
        if (allowed.length > 0)
          return reply({
            status: 405,
            body: { detail: "Method Not Allowed" },
            headers: { allow: allowed.join(", ") },
          });
        return reply({ status: 404, body: { detail: "Not Found" } });
      }
      routeName = match.route.template;
      const auth = await authenticate(req);
      const apiRequest = request(match.params, limitFor(url.pathname));
      const idempotencyKey =
        method === "POST" && !match.route.idempotentByIds ? idempotencyKeyOf(req) : undefined;
      if (idempotencyKey) {
        const scope = await idempotencyScope(
          (task) => resolveTask(auth.repo, task).then((found) => found.name),
          auth.key.id,
          method,
          match.route.template,
          match.params,
        );
        const fingerprint = requestFingerprint(scope, await apiRequest.json());
        const handler = match.route.handler;
        return reply(
          await once.run(`${auth.repo.repoKey}\n${scope}\n${idempotencyKey}\n${fingerprint}`, async () => {
            const first = await recall(auth.repo.store, scope, idempotencyKey);
            // Stripe's rule: a key names one request; another body under it is a mistake to show.
            if (first?.fingerprint !== undefined && first.fingerprint !== fingerprint)
              throw new HttpError(422, IDEMPOTENCY_MISMATCH(idempotencyKey));
            if (first)
              return { status: first.status, body: first.body, headers: { "idempotent-replayed": "true" } };
            const response = await handler(apiRequest, auth);
            if (response.status < 500)
              await remember(
                auth.repo.store,
                scope,
                idempotencyKey,
                response.status,
                response.body,
                new Date(),
                fingerprint,
              );
            return response;
          }),
        );
      }
      return reply(await match.route.handler(apiRequest, auth));
    } catch (error) {
      if (error instanceof HttpError)
        return reply({ status: error.status, body: { detail: error.detail }, headers: error.headers });
      if (error instanceof NotFoundError) return reply({ status: 404, body: { detail: error.message } });
      if (error instanceof PathTakenError) return reply({ status: 409, body: { detail: error.message } });
      // The repository holds something Kaizen refuses to follow or write (a symlinked prompt, a
      // path git must not see): the repository needs fixing, not the server.
      if (error instanceof SymlinkRefusedError || error instanceof UnsafeGitNameError)
        return reply({ status: 422, body: { detail: error.message } });
      const config = configErrorResponse(error);
      if (config) return reply(config);
      if (error instanceof GitHubStoreError) return reply(gitHubFailure(error));
      if (error instanceof ValidationError)
        return reply({
          status: 422,
          body: {
            detail: error.fields.map((f) => ({
              loc: ["body", ...f.path.split(".")],
              msg: f.message,
              type: "value_error",
            })),
          },
        });
      options.log?.(
        `${method} ${url.pathname} failed [${requestId}]: ${(error as Error).stack ?? String(error)}`,
      );
      return reply({ status: 500, body: { detail: `internal error; request id ${requestId}` } });
    }
  };
}

/**
 * GitHub, not Kaizen, failed the request: a dropped connection or GitHub's own 5xx/429 passes
 * (503 with a Retry-After the SDKs honour), any other refusal is GitHub's answer to pass on (502).
 * A rate limit (GitHub answers it with 403 or 429) passes too: 503 with the wait GitHub gave.
 */
function gitHubFailure(error: GitHubStoreError): ApiResponse {
  if (error.retryAfterSeconds !== null)
    return {
      status: 503,
      body: {
        detail: `GitHub's rate limit for this repository's installation is spent; try again in ${error.retryAfterSeconds} s (${error.message})`,
      },
      headers: { "retry-after": String(error.retryAfterSeconds) },
    };
  const transient = error.status === null || error.status >= 500 || error.status === 429;
  return transient
    ? {
        status: 503,
        body: { detail: `GitHub did not answer; try again shortly (${error.message})` },
        headers: { "retry-after": "5" },
      }
    : { status: 502, body: { detail: error.message } };
}
