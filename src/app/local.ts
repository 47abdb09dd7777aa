/**
 * `kaizen serve`: the same HTTP API over a local git repository, no GitHub account needed.
 * The key is the operator's own `KAIZEN_API_KEY` when set (any string; see operator-key.ts),
 * else one generated at start and shown once.
 */
import type { AddressInfo } from "node:net";
import path from "node:path";
import { KaizenError } from "../core/errors.js";
import { LocalGitStore } from "../store/local-git-store.js";
import { createApiHandler } from "./api/handler.js";
import { HttpError } from "./api/http.js";
import { createApiKey, hashKey, keyMatches, keyPrefix, parseApiKey } from "./auth/api-keys.js";
import { estimateOnThread } from "./estimate-on-thread.js";
import { createKaizenServer, type ServerLimits } from "./http-server.js";
import { locateLocalKey, OPERATOR_KEY_CREATOR, operatorKeyRecord, shortKeyWarning } from "./operator-key.js";
import { Ingestion } from "./ingestion.js";
import { CommitPacer } from "./pacing.js";
import { activateMergedCandidates } from "../jobs/index.js";
import { LocalWorker, type JobRunner } from "./local-worker.js";
import { Metrics } from "./metrics.js";
import type { RepoContext } from "./repo-context.js";
import { triggerIfDue } from "./threshold-trigger.js";

export const LOCAL_REPO_KEY = "local";

export interface LocalServerOptions {
  repoDir: string;
  port?: number;
  host?: string;
  /** The operator's key (any string, or a `kz_local_…` key Kaizen made); generated when absent. */
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
  /** Why the operator's key is weak (too short), to show at start; null when it is not. */
  keyWarning: string | null;
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
    shipper: null,
    // No webhook reports a local merge: a candidate whose text reached the default branch is active.
    reconcile: async (task) => void (await activateMergedCandidates(store, task)),
    proposeChange: null,
    estimate: estimateOnThread(store.dir),
  };
  repo.ingestion = new Ingestion(
    store,
    {
      pacer: new CommitPacer("local", options.minCommitIntervalMs ?? 0),
      maxQueued: options.maxQueued ?? 50_000,
    },
    (task, result) => triggerIfDue(repo, task, result.state),
    log,
  );

  const { apiKey, generatedKey, keyWarning } = await ensureLocalKey(repo, options.apiKey, log);
  const metrics = new Metrics();
  const handle = createApiHandler({
    directory: { byRepoKey: (key) => Promise.resolve(key === LOCAL_REPO_KEY ? repo : null) },
    admin: {
      // Locally, whoever holds the server's key runs the repository: it manages the keys.
      async check(bearer) {
        if (bearer === null)
          throw new HttpError(
            401,
            "missing Authorization: Bearer <key>; locally, use the key kaizen serve printed",
          );
        if (!keyMatches(bearer, { hash: hashKey(apiKey) })) throw new HttpError(401, "invalid bearer token");
        // The server's own key, once revoked, manages nothing more.
        if (!(await store.getKey(locateLocalKey(apiKey, LOCAL_REPO_KEY).keyId)))
          throw new HttpError(401, "this key was revoked; restart kaizen serve with a new KAIZEN_API_KEY");
        return { repo, login: "local" };
      },
    },
    metrics,
    repos: () => [repo],
    log,
    locateKey: (key) => locateLocalKey(key, LOCAL_REPO_KEY),
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
    keyWarning,
    repo,
    worker,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await repo.ingestion.drain();
      await worker.idle();
      await store.close();
    },
  };
}

async function ensureLocalKey(
  repo: RepoContext,
  given: string | undefined,
  log: (message: string) => void,
): Promise<{ apiKey: string; generatedKey: boolean; keyWarning: string | null }> {
  if (given === undefined || given === "") {
    const { key, record } = createApiKey(LOCAL_REPO_KEY, repo.fullName, "kaizen serve");
    await repo.store.putKey(record);
    return { apiKey: key, generatedKey: true, keyWarning: null };
  }
  const parsed = parseApiKey(given);
  if (parsed && parsed.repoKey !== LOCAL_REPO_KEY)
    throw new KaizenError(
      "KAIZEN_API_KEY is a key of the Kaizen GitHub App for another repository; set your own key for kaizen serve, or unset it and one is generated and printed at start",
    );
  const record = parsed
    ? { ...operatorKeyRecord(given, repo.fullName), id: parsed.keyId, prefix: keyPrefix(given) }
    : operatorKeyRecord(given, repo.fullName);
  if (await repo.store.isKeyRevoked(record.id))
    throw new KaizenError(
      `KAIZEN_API_KEY (${record.prefix}) was revoked, so it cannot open this server again; set a new key, or unset it and one is generated and printed at start`,
    );
  if (!(await repo.store.getKey(record.id))) await repo.store.putKey(record);
  // Operator keys of other servers on this repository (or of earlier starts) stay valid: a
  // second `kaizen serve` must not lock the first one out. Retiring one is explicit.
  const others = (await repo.store.listKeys()).filter(
    (old) => old.created_by === OPERATOR_KEY_CREATOR && old.id !== record.id,
  );
  if (others.length > 0)
    log(
      `${others.length} other KAIZEN_API_KEY(s) also open this repository (${others.map((o) => `${o.prefix}… id ${o.id}`).join(", ")}); to retire one: kaizen keys revoke <id>`,
    );
  return { apiKey: given, generatedKey: false, keyWarning: shortKeyWarning(given) };
}
