/**
 * `kaizen serve`: the same HTTP API over a local git repository, no GitHub account needed.
 * The key is `KAIZEN_API_KEY` when set, else one generated at start and shown once.
 */
import type { AddressInfo } from "node:net";
import path from "node:path";
import { KaizenError } from "../core/errors.js";
import { LocalGitStore } from "../store/local-git-store.js";
import { createApiHandler } from "./api/handler.js";
import { HttpError } from "./api/http.js";
import { createApiKey, hashKey, keyMatches, keyPrefix, parseApiKey } from "./auth/api-keys.js";
import { createKaizenServer, type ServerLimits } from "./http-server.js";
import { Ingestion } from "./ingestion.js";
import { LocalWorker, type JobRunner } from "./local-worker.js";
import { Metrics } from "./metrics.js";
import type { RepoContext } from "./repo-context.js";
import { triggerIfDue } from "./threshold-trigger.js";

export const LOCAL_REPO_KEY = "local";

export interface LocalServerOptions {
  repoDir: string;
  port?: number;
  host?: string;
  /** A key made by Kaizen (`kz_local_…`); generated when absent. */
  apiKey?: string;
  runJob?: JobRunner | null;
  /** Least time between two ingestion commits (ms). */
  minCommitIntervalMs?: number;
  maxQueued?: number;
  log?: (message: string) => void;
  /** Timeouts and the connection cap of the HTTP server (defaults: http-server.ts). */
  limits?: Partial<ServerLimits>;
}

export interface LocalServer {
  url: string;
  apiKey: string;
  /** Whether the key was generated now (and must be shown to the person once). */
  generatedKey: boolean;
  repo: RepoContext;
  worker: LocalWorker;
  /** Stops accepting requests, commits what is queued, and closes. */
  close(): Promise<void>;
}

/**
 * @example
 * const server = await startLocalServer({ repoDir: process.cwd(), port: 8000 });
 * console.log(server.url, server.apiKey);
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const log = options.log ?? (() => {});
  const store = await LocalGitStore.open(options.repoDir);
  const worker = new LocalWorker(store, options.runJob ?? null, log);
  const repo: RepoContext = {
    repoKey: LOCAL_REPO_KEY,
    fullName: `local/${path.basename(store.dir)}`,
    store,
    ingestion: null as unknown as Ingestion,
    dispatcher: worker,
    pullRequests: null,
    proposeChange: null,
  };
  repo.ingestion = new Ingestion(
    store,
    { minIntervalMs: options.minCommitIntervalMs ?? 0, maxQueued: options.maxQueued ?? 50_000 },
    (task, result) => triggerIfDue(repo, task, result.state),
    log,
  );

  const { apiKey, generatedKey } = await ensureLocalKey(repo, options.apiKey);
  const metrics = new Metrics();
  const handle = createApiHandler({
    directory: { byRepoKey: async (key) => (key === LOCAL_REPO_KEY ? repo : null) },
    admin: {
      // Locally, whoever holds the server's key runs the repository: it manages the keys.
      async check(bearer) {
        if (bearer === null)
          throw new HttpError(
            401,
            "missing Authorization: Bearer <key>; locally, use the key kaizen serve printed",
          );
        if (!keyMatches(bearer, { hash: hashKey(apiKey) })) throw new HttpError(401, "invalid bearer token");
        return { repo, login: "local" };
      },
    },
    metrics,
    repos: () => [repo],
    log,
  });
  const server = createKaizenServer(handle, log, options.limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8000, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`,
    apiKey,
    generatedKey,
    repo,
    worker,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await repo.ingestion.drain();
      await worker.idle();
    },
  };
}

async function ensureLocalKey(
  repo: RepoContext,
  given: string | undefined,
): Promise<{ apiKey: string; generatedKey: boolean }> {
  if (given !== undefined && given !== "") {
    const parsed = parseApiKey(given);
    if (!parsed || parsed.repoKey !== LOCAL_REPO_KEY) {
      throw new KaizenError(
        "KAIZEN_API_KEY is not a key for kaizen serve (they look like kz_local_…); unset it and a key is generated and printed at start",
      );
    }
    const stored = await repo.store.getKey(parsed.keyId);
    if (!stored)
      await repo.store.putKey({
        id: parsed.keyId,
        repo: repo.fullName,
        prefix: keyPrefix(given),
        hash: hashKey(given),
        created_at: new Date().toISOString(),
        created_by: "KAIZEN_API_KEY",
      });
    return { apiKey: given, generatedKey: false };
  }
  const { key, record } = createApiKey(LOCAL_REPO_KEY, repo.fullName, "kaizen serve");
  await repo.store.putKey(record);
  return { apiKey: key, generatedKey: true };
}
