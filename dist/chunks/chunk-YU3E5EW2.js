import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  CommitPacer,
  HttpError,
  Ingestion,
  Metrics,
  createApiHandler,
  createApiKey,
  createKaizenServer,
  hashKey,
  keyMatches,
  keyPrefix,
  parseApiKey,
  triggerIfDue
} from "./chunk-LOM32M6D.js";
import {
  activateMergedCandidates,
  claimJob,
  executeJob,
  localBranchShipper
} from "./chunk-ZA56Q3X5.js";
import {
  LocalGitStore
} from "./chunk-HQNAUYHO.js";
import {
  v5_default
} from "./chunk-H57QFYJN.js";
import {
  KaizenError
} from "./chunk-4CXYVOQZ.js";

// src/app/local-worker.ts
function localJobRunner(endpoint, cacheDir, options = {}) {
  return async (store, _task, job) => {
    const claim = await claimJob(store, { jobId: job.id }, { timing: options.timing });
    if (!claim.claimed) return;
    await executeJob(store, claim, {
      shipper: localBranchShipper(store),
      run: { endpoint, cacheDir, ...options.seed ? { seed: options.seed } : {}, timing: options.timing }
    });
  };
}
var LocalWorker = class {
  #store;
  #runJob;
  #queue = [];
  #running = null;
  #log;
  constructor(store, runJob, log = () => {
  }) {
    this.#store = store;
    this.#runJob = runJob;
    this.#log = log;
  }
  async dispatch(ref) {
    if (!this.#runJob) {
      this.#log(`job ${ref.job.id} of ${ref.task} stays PENDING: no optimizer is configured in this server`);
      return;
    }
    this.#queue.push(ref);
    this.#running ??= this.#drain();
  }
  /** Resolves when every dispatched job has finished. */
  async idle() {
    while (this.#running) await this.#running;
  }
  async #drain() {
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        try {
          await this.#runJob(this.#store, next.task, next.job);
        } catch (error) {
          this.#log(`job ${next.job.id} of ${next.task} failed: ${error.message}`);
        }
      }
    } finally {
      this.#running = null;
    }
  }
};

// src/app/local.ts
import path from "node:path";

// src/app/operator-key.ts
var OPERATOR_KEY_NAMESPACE = "8a4b7f0e-2c1d-5e3f-9a6b-0c7d8e9f1a2b";
var OPERATOR_KEY_CREATOR = "KAIZEN_API_KEY";
var SHORT_KEY_LENGTH = 32;
function operatorKeyId(key) {
  return v5_default(hashKey(key), OPERATOR_KEY_NAMESPACE);
}
function locateLocalKey(key, localRepoKey) {
  return parseApiKey(key) ?? { repoKey: localRepoKey, keyId: operatorKeyId(key) };
}
function operatorKeyRecord(key, repo, now = /* @__PURE__ */ new Date()) {
  return {
    id: operatorKeyId(key),
    repo,
    // Bare, like a kz_ key's prefix: whoever shows it marks the cut (`kaizen keys list` adds "…").
    prefix: key.slice(0, Math.min(6, Math.floor(key.length / 4))),
    hash: hashKey(key),
    created_at: now.toISOString(),
    created_by: OPERATOR_KEY_CREATOR
  };
}
function shortKeyWarning(key) {
  return key.length >= SHORT_KEY_LENGTH ? null : `KAIZEN_API_KEY is ${key.length} characters long: anyone who can reach this server could guess it. Use ${SHORT_KEY_LENGTH} or more random characters, e.g. KAIZEN_API_KEY=$(openssl rand -hex 24).`;
}

// src/app/local.ts
var LOCAL_REPO_KEY = "local";
async function startLocalServer(options) {
  const log = options.log ?? (() => {
  });
  const store = await LocalGitStore.open(options.repoDir);
  const worker = new LocalWorker(store, options.runJob ?? null, log);
  const repo = {
    repoKey: LOCAL_REPO_KEY,
    fullName: `local/${path.basename(store.dir)}`,
    store,
    ingestion: null,
    dispatcher: worker,
    shipper: null,
    // No webhook reports a local merge: a candidate whose text reached the default branch is active.
    reconcile: async (task) => void await activateMergedCandidates(store, task),
    proposeChange: null
  };
  repo.ingestion = new Ingestion(
    store,
    {
      pacer: new CommitPacer("local", options.minCommitIntervalMs ?? 0),
      maxQueued: options.maxQueued ?? 5e4
    },
    (task, result) => triggerIfDue(repo, task, result.state),
    log
  );
  const { apiKey, generatedKey, keyWarning } = await ensureLocalKey(repo, options.apiKey, log);
  const metrics = new Metrics();
  const handle = createApiHandler({
    directory: { byRepoKey: async (key) => key === LOCAL_REPO_KEY ? repo : null },
    admin: {
      // Locally, whoever holds the server's key runs the repository: it manages the keys.
      async check(bearer) {
        if (bearer === null)
          throw new HttpError(
            401,
            "missing Authorization: Bearer <key>; locally, use the key kaizen serve printed"
          );
        if (!keyMatches(bearer, { hash: hashKey(apiKey) })) throw new HttpError(401, "invalid bearer token");
        if (!await store.getKey(locateLocalKey(apiKey, LOCAL_REPO_KEY).keyId))
          throw new HttpError(401, "this key was revoked; restart kaizen serve with a new KAIZEN_API_KEY");
        return { repo, login: "local" };
      }
    },
    metrics,
    repos: () => [repo],
    log,
    locateKey: (key) => locateLocalKey(key, LOCAL_REPO_KEY)
  });
  const server = createKaizenServer(handle, log, options.limits);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8e3, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address();
  return {
    url: `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`,
    apiKey,
    generatedKey,
    keyWarning,
    repo,
    worker,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await repo.ingestion.drain();
      await worker.idle();
      await store.close();
    }
  };
}
async function ensureLocalKey(repo, given, log) {
  if (given === void 0 || given === "") {
    const { key, record: record2 } = createApiKey(LOCAL_REPO_KEY, repo.fullName, "kaizen serve");
    await repo.store.putKey(record2);
    return { apiKey: key, generatedKey: true, keyWarning: null };
  }
  const parsed = parseApiKey(given);
  if (parsed && parsed.repoKey !== LOCAL_REPO_KEY)
    throw new KaizenError(
      "KAIZEN_API_KEY is a key of the Kaizen GitHub App for another repository; set your own key for kaizen serve, or unset it and one is generated and printed at start"
    );
  const record = parsed ? { ...operatorKeyRecord(given, repo.fullName), id: parsed.keyId, prefix: keyPrefix(given) } : operatorKeyRecord(given, repo.fullName);
  if (await repo.store.isKeyRevoked(record.id))
    throw new KaizenError(
      `KAIZEN_API_KEY (${record.prefix}) was revoked, so it cannot open this server again; set a new key, or unset it and one is generated and printed at start`
    );
  if (!await repo.store.getKey(record.id)) await repo.store.putKey(record);
  for (const old of await repo.store.listKeys())
    if (old.created_by === OPERATOR_KEY_CREATOR && old.id !== record.id) {
      await repo.store.deleteKey(old.id);
      log(`The earlier KAIZEN_API_KEY (${old.prefix}) no longer opens this server.`);
    }
  return { apiKey: given, generatedKey: false, keyWarning: shortKeyWarning(given) };
}

export {
  localJobRunner,
  LOCAL_REPO_KEY,
  startLocalServer
};
