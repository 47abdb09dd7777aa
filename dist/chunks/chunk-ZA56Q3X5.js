import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  GITHUB_LIMITS,
  ISSUE_BODY_LIMIT,
  cell,
  fitBody,
  loadTaskForJob,
  optimizePrompt,
  reportForGitHub,
  scoreChartOrTable,
  versionPoints
} from "./chunk-APVKA7BG.js";
import {
  detectPromptFormat,
  readPrompt,
  writePrompt
} from "./chunk-EHX4BM5X.js";
import {
  newId,
  taskId
} from "./chunk-H57QFYJN.js";
import {
  loadTasks,
  taskOverviews
} from "./chunk-A3WLGUKI.js";
import {
  Job,
  PromptVersion,
  ProtectedBranchError,
  RefConflictError,
  SymlinkRefusedError,
  TaskState,
  assertSafeGitDir,
  assertSafeGitPath,
  assertSafeRefName,
  pathPrefixes
} from "./chunk-U323PJSG.js";
import {
  DATA_BRANCH,
  external_exports,
  layout,
  parseJobPath,
  promptPathProblem,
  require_dist
} from "./chunk-IM6PW7XL.js";
import {
  IllegalTransitionError,
  KaizenError,
  NotFoundError,
  __toESM
} from "./chunk-4CXYVOQZ.js";

// src/jobs/timing.ts
var DEFAULT_TIMING = {
  heartbeatMs: 2 * 6e4,
  staleAfterMs: 15 * 6e4,
  pendingStaleAfterMs: 24 * 60 * 6e4
};
function timingFromEnv(env) {
  const seconds = (name, fallback) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value * 1e3 : fallback;
  };
  return {
    heartbeatMs: seconds("KAIZEN_HEARTBEAT_SECONDS", DEFAULT_TIMING.heartbeatMs),
    staleAfterMs: seconds("KAIZEN_STALE_AFTER_SECONDS", DEFAULT_TIMING.staleAfterMs),
    pendingStaleAfterMs: DEFAULT_TIMING.pendingStaleAfterMs
  };
}

// src/jobs/repeat.ts
function repeatAfterEach(ms, beat) {
  let timer;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void beat().finally(schedule), ms);
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// src/core/job-state.ts
var NEXT = {
  PENDING: ["RUNNING", "FAILED"],
  RUNNING: ["EVALUATING", "SUCCESS", "FAILED"],
  EVALUATING: ["COMPILING", "SUCCESS", "FAILED"],
  COMPILING: ["SUCCESS", "FAILED", "PR_FAILED"],
  PR_FAILED: ["SUCCESS", "PR_FAILED"],
  SUCCESS: [],
  FAILED: []
};
var TERMINAL_STATUSES = ["SUCCESS", "FAILED"];
var IN_FLIGHT_STATUSES = ["PENDING", "RUNNING", "EVALUATING", "COMPILING"];
function canTransition(from, to) {
  return NEXT[from].includes(to);
}
function isInFlight(status) {
  return IN_FLIGHT_STATUSES.includes(status);
}
function isTerminal(status) {
  return TERMINAL_STATUSES.includes(status);
}
function transition(job, to, changes = {}, now = /* @__PURE__ */ new Date()) {
  if (!canTransition(job.status, to)) throw new IllegalTransitionError(job.status, to);
  const at = now.toISOString();
  return {
    ...job,
    ...changes,
    status: to,
    started_at: job.started_at ?? (to === "RUNNING" ? at : null),
    completed_at: isTerminal(to) || to === "PR_FAILED" ? at : null
  };
}

// src/jobs/run.ts
var JobCancelledError = class extends Error {
  name = "JobCancelledError";
};
async function runJob(store, ref, options) {
  const { job } = ref;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const cancelled = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, cancelled.signal]) : cancelled.signal;
  const beat = (j) => ({ ...j.job_metadata ?? {}, heartbeat_at: now().toISOString() });
  const stopHeartbeat = repeatAfterEach(
    (options.timing ?? DEFAULT_TIMING).heartbeatMs,
    () => store.updateJob(
      job.id,
      (j) => isInFlight(j.status) ? { ...j, job_metadata: beat(j) } : j,
      `Job ${job.id}: heartbeat`
    ).then(
      (j) => isTerminal(j.status) ? cancelled.abort(new JobCancelledError(j.error_message ?? "cancelled")) : void 0
    ).catch(() => {
    })
  );
  try {
    return await optimizePrompt({
      ...options,
      store,
      task: ref.task,
      seed: options.seed ?? job.id,
      signal,
      footer: {
        jobId: job.id,
        runUrl: options.runUrl ?? (typeof job.job_metadata?.workflow_run_url === "string" ? job.job_metadata.workflow_run_url : null)
      },
      onStage: async (stage, step, metadata) => {
        const status = stage === "evaluating" ? "EVALUATING" : "COMPILING";
        await store.updateJob(
          job.id,
          (j) => transition(
            j,
            status,
            { progress_step: step, job_metadata: { ...beat(j), ...metadata ?? {} } },
            now()
          ),
          `Job ${job.id}: ${status} (${step})`
        );
      }
    });
  } catch (error) {
    const reason = signal.aborted ? abortReason(signal) : error instanceof Error ? error.message : String(error);
    const failed = await failJob(store, job.id, reason, now());
    const thrown = signal.aborted ? new JobCancelledError(reason) : error instanceof Error ? error : new Error(reason);
    throw Object.assign(thrown, { job: failed });
  } finally {
    stopHeartbeat();
  }
}
function abortReason(signal) {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason.message;
  return typeof reason === "string" ? reason : "cancelled";
}
function failJob(store, jobId, reason, now = /* @__PURE__ */ new Date()) {
  return store.updateJob(
    jobId,
    (j) => isInFlight(j.status) ? transition(j, "FAILED", { error_message: reason, progress_step: "Failed" }, now) : j,
    `Job ${jobId}: FAILED`
  );
}

// src/jobs/cancel.ts
var JobAlreadyEndedError = class extends KaizenError {
  constructor(job) {
    super(`job ${job.id} already ended ${job.status}; only a job not yet finished can be cancelled`);
    this.job = job;
  }
  job;
  name = "JobAlreadyEndedError";
};
async function cancelJob(store, jobId, by) {
  const found = await store.getJob(jobId);
  if (!found) throw new NotFoundError(`job ${jobId} not found in ${store.label}`);
  if (!isInFlight(found.job.status)) throw new JobAlreadyEndedError(found.job);
  const job = await failJob(store, jobId, `cancelled by ${by}`);
  if (job.error_message !== `cancelled by ${by}`) throw new JobAlreadyEndedError(job);
  return job;
}

// src/jobs/reap.ts
function lastSignOfLife(job) {
  const beat = job.job_metadata?.heartbeat_at;
  return typeof beat === "string" ? beat : job.started_at ?? job.created_at;
}
function staleReason(job, now, timing = DEFAULT_TIMING) {
  if (!isInFlight(job.status)) return null;
  const since = lastSignOfLife(job);
  const silentMs = now.getTime() - Date.parse(since);
  if (job.status === "PENDING") {
    return silentMs > timing.pendingStaleAfterMs ? `no runner claimed the job within ${minutes(timing.pendingStaleAfterMs)} of its creation (${since})` : null;
  }
  return silentMs > timing.staleAfterMs ? `the runner vanished: no heartbeat for ${minutes(timing.staleAfterMs)} while ${job.status} (last at ${since})` : null;
}
var minutes = (ms) => ms >= 36e5 ? `${Math.round(ms / 36e5)} hours` : ms >= 6e4 ? `${Math.round(ms / 6e4)} minutes` : `${Math.round(ms / 1e3)} seconds`;
async function reapInTransaction(tx, task, now, timing) {
  const reaped = [];
  for (const path of await tx.list(layout.jobsDir(task))) {
    if (!parseJobPath(path)) continue;
    const job = await tx.readJson(path, Job);
    const reason = job && staleReason(job, now, timing);
    if (!job || !reason) continue;
    const failed = transition(job, "FAILED", { error_message: reason, progress_step: "Failed" }, now);
    tx.writeJson(path, Job, failed);
    reaped.push(failed);
  }
  return reaped;
}
async function reapStale(store, options = {}) {
  const now = options.now ?? /* @__PURE__ */ new Date();
  const timing = options.timing ?? DEFAULT_TIMING;
  const jobs = await store.listJobs(options.task);
  if (!jobs.some((j) => staleReason(j, now, timing))) return [];
  const tasks = options.task !== void 0 ? [options.task] : await tasksWithJobs(store);
  return store.transact("Fail jobs whose runner vanished", async (tx) => {
    const reaped = [];
    for (const task of tasks) reaped.push(...await reapInTransaction(tx, task, now, timing));
    return reaped;
  });
}
async function tasksWithJobs(store) {
  return store.transact("List tasks with jobs", async (tx) => [
    ...new Set(
      (await tx.list(layout.jobsDir())).map((p) => parseJobPath(p)?.task).filter((t) => t !== void 0)
    )
  ]);
}

// src/store/git-hash.ts
import { createHash } from "node:crypto";
function gitBlobSha(text) {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

// src/store/github-backend.ts
var GitHubStoreError = class extends KaizenError {
  constructor(route, status, detail) {
    super(`GitHub refused ${route}${status !== null ? ` (HTTP ${status})` : ""}: ${detail}`);
    this.route = route;
    this.status = status;
  }
  route;
  status;
  name = "GitHubStoreError";
};
var SYMLINK_MODE = "120000";
var COMMIT_SHA = /^[0-9a-f]{40}$/;
var TREE_CACHE_ENTRIES = 4096;
var LISTING_CACHE_ENTRIES = 128;
var COMMIT_CACHE_ENTRIES = 1024;
var LISTING_CACHE_FILES = 4e5;
var GitHubBackend = class {
  label;
  #octokit;
  #repo;
  #defaultBranch = null;
  /** Branch → the commit this instance last saw there (read or written). */
  #lastKnown = /* @__PURE__ */ new Map();
  /** Commit → its root tree sha; commits are immutable. */
  #commits = /* @__PURE__ */ new Map();
  /** Tree sha → its entries (one level); trees are immutable. */
  #trees = /* @__PURE__ */ new Map();
  /** `commit:dir` → every file below dir (path → blob sha), recently read or derived. */
  #listings = /* @__PURE__ */ new Map();
  #listedFiles = 0;
  #blobs = /* @__PURE__ */ new Map();
  #blobBytes = 0;
  #blobCacheBytes;
  /** Set once GitHub truncated a whole listing here: list one directory at a time instead. */
  #perDirectory = false;
  constructor(octokit, repo, options = {}) {
    this.#octokit = octokit;
    this.#repo = repo;
    this.label = `${repo.owner}/${repo.repo}`;
    this.#blobCacheBytes = options.blobCacheBytes ?? 64 * 1024 * 1024;
    if (options.defaultBranch) {
      assertSafeRefName(options.defaultBranch);
      this.#defaultBranch = options.defaultBranch;
    }
  }
  async defaultBranch() {
    if (this.#defaultBranch === null) {
      const { data } = await this.#call(
        "GET /repos/{owner}/{repo}",
        () => this.#octokit.request("GET /repos/{owner}/{repo}", { ...this.#repo })
      );
      this.#defaultBranch = data.default_branch;
    }
    return this.#defaultBranch;
  }
  async head(branch, options = {}) {
    assertSafeRefName(branch);
    const known = this.#lastKnown.get(branch);
    if (options.maybeStale && known !== void 0) return known;
    const route = "GET /repos/{owner}/{repo}/git/ref/{ref}";
    try {
      const { data } = await this.#octokit.request(route, { ...this.#repo, ref: `heads/${branch}` });
      this.#lastKnown.set(branch, data.object.sha);
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) {
        this.#lastKnown.delete(branch);
        return null;
      }
      throw wrap(route, error);
    }
  }
  async listFiles(commit, dir) {
    assertSafeRefName(commit);
    assertSafeGitDir(dir);
    const trimmed = dir.replace(/\/$/, "");
    const key = `${commit}:${trimmed}`;
    const known = () => this.#listings.get(key) ?? this.#fromAncestorListing(commit, trimmed);
    const cached = known() ?? (await this.#wholeListing(commit) ? known() : null);
    if (cached) return cached;
    const root = { path: "", mode: "040000", type: "tree", sha: await this.#treeOfCommit(commit) };
    const tree = trimmed === "" ? root : await this.#walk(root, trimmed);
    const files = tree === null || tree.type !== "tree" ? /* @__PURE__ */ new Map() : await this.#listTree(tree.sha, trimmed);
    this.#rememberListing(key, files);
    return files;
  }
  async readBlob(sha) {
    const cached = this.#blobs.get(sha);
    if (cached !== void 0) return cached;
    const { data } = await this.#call(
      "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
      () => this.#octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        ...this.#repo,
        file_sha: sha
      })
    );
    const text = Buffer.from(data.content, "base64").toString("utf8");
    this.#remember(sha, text);
    return text;
  }
  async readFile(ref, path) {
    assertSafeRefName(ref);
    assertSafeGitPath(path);
    const commit = COMMIT_SHA.test(ref) ? ref : await this.head(ref);
    let root;
    try {
      if (commit === null) root = await this.#rootOfRef(ref);
      else {
        await this.#wholeListing(commit);
        root = { path: "", mode: "040000", type: "tree", sha: await this.#treeOfCommit(commit) };
      }
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 422) return null;
      throw error;
    }
    const entry = await this.#walk(root, path);
    if (entry === null || entry.type !== "blob") return null;
    return this.readBlob(entry.sha);
  }
  /** The root tree of a ref that is not a branch (a tag), as GitHub resolves it. */
  async #rootOfRef(ref) {
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(
      route,
      () => this.#octokit.request(route, { ...this.#repo, tree_sha: ref })
    );
    if (!data.truncated) this.#rememberTree(data.sha, data.tree);
    return { path: "", mode: "040000", type: "tree", sha: data.sha };
  }
  async commit(request) {
    if (request.expected !== void 0 && request.expected !== request.parent) {
      throw new KaizenError(
        "GitHubBackend moves a branch only on top of its own head; use the pull-request code for prompt branches"
      );
    }
    assertSafeRefName(request.branch);
    if (request.parent !== null) assertSafeRefName(request.parent);
    for (const path of request.changes.keys()) assertSafeGitPath(path);
    const tree = request.parent === null ? void 0 : await this.#treeOfCommit(request.parent);
    if (tree !== void 0 && request.branch !== DATA_BRANCH) {
      await this.#wholeListing(request.parent);
      const root = { path: "", mode: "040000", type: "tree", sha: tree };
      for (const path of new Set([...request.changes.keys()].flatMap(pathPrefixes)))
        await this.#walk(root, path);
    }
    const entries = [...request.changes].map(
      ([path, text]) => text === null ? { path, mode: "100644", type: "blob", sha: null } : { path, mode: "100644", type: "blob", content: text }
    );
    const newTree = await this.#call(
      "POST /repos/{owner}/{repo}/git/trees",
      () => this.#octokit.request("POST /repos/{owner}/{repo}/git/trees", {
        ...this.#repo,
        ...tree ? { base_tree: tree } : {},
        tree: entries
      })
    );
    const commit = await this.#call(
      "POST /repos/{owner}/{repo}/git/commits",
      () => this.#octokit.request("POST /repos/{owner}/{repo}/git/commits", {
        ...this.#repo,
        message: request.message,
        tree: newTree.data.sha,
        parents: request.parent === null ? [] : [request.parent]
      })
    );
    const sha = commit.data.sha;
    if (!newTree.data.truncated) this.#rememberTree(newTree.data.sha, newTree.data.tree);
    try {
      if (request.parent === null) {
        await this.#octokit.request("POST /repos/{owner}/{repo}/git/refs", {
          ...this.#repo,
          ref: `refs/heads/${request.branch}`,
          sha
        });
      } else {
        await this.#octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
          ...this.#repo,
          ref: `heads/${request.branch}`,
          sha,
          force: false
        });
      }
    } catch (error) {
      const message = String(
        error.response?.data?.message ?? error.message
      );
      if (statusOf(error) === 422 && /not a fast forward|already exists|does not exist|reference cannot be updated/i.test(message)) {
        this.#lastKnown.delete(request.branch);
        throw new RefConflictError(request.branch, request.parent);
      }
      if ((statusOf(error) === 422 || statusOf(error) === 409) && /protected branch|rule violation/i.test(message))
        throw new ProtectedBranchError(request.branch, message);
      throw wrap(
        request.parent === null ? "POST /repos/{owner}/{repo}/git/refs" : "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
        error
      );
    }
    this.#lastKnown.set(request.branch, sha);
    this.#rememberCommit(sha, newTree.data.sha);
    this.#deriveListings(request, sha);
    return sha;
  }
  /**
   * Derives the new commit's listings from the parent's and the change, so that this writer's
   * next transaction starts without a single read.
   */
  #deriveListings(request, commit) {
    const derived = [];
    const blobs = /* @__PURE__ */ new Map();
    for (const [path, text] of request.changes) {
      if (text === null) continue;
      const blob = gitBlobSha(text);
      blobs.set(path, blob);
      this.#remember(blob, text);
    }
    const dirs = request.parent === null ? [""] : [...this.#listings.keys()].filter((key) => key.startsWith(`${request.parent}:`)).map((key) => key.slice(request.parent.length + 1));
    for (const dir of dirs) {
      const before = request.parent === null ? /* @__PURE__ */ new Map() : this.#listings.get(`${request.parent}:${dir}`);
      const prefix = dir === "" ? "" : `${dir}/`;
      const files = new Map(before);
      for (const [path, text] of request.changes) {
        if (!path.startsWith(prefix)) continue;
        if (text === null) files.delete(path);
        else files.set(path, blobs.get(path));
      }
      derived.push([`${commit}:${dir}`, files]);
    }
    for (const [key, files] of derived) this.#rememberListing(key, files);
  }
  /** A listing of `dir` cut from a known listing of one of its parent directories, or null. */
  #fromAncestorListing(commit, dir) {
    const segments = dir === "" ? [] : dir.split("/");
    for (let length = segments.length - 1; length >= 0; length--) {
      const ancestor = this.#listings.get(`${commit}:${segments.slice(0, length).join("/")}`);
      if (!ancestor) continue;
      const prefix = `${dir}/`;
      const files = new Map([...ancestor].filter(([path]) => path.startsWith(prefix)));
      this.#rememberListing(`${commit}:${dir}`, files);
      return files;
    }
    return null;
  }
  /** Every file below a tree, recursively (path → blob sha), with `prefix/` before each path. */
  async #listTree(treeSha, prefix) {
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(
      route,
      () => this.#octokit.request(route, { ...this.#repo, tree_sha: treeSha, recursive: "1" })
    );
    const files = /* @__PURE__ */ new Map();
    const base = prefix === "" ? "" : `${prefix}/`;
    if (!data.truncated) {
      for (const entry of data.tree)
        if (entry.type === "blob" && entry.path && entry.sha) files.set(base + entry.path, entry.sha);
      return files;
    }
    for (const entry of await this.#entries(treeSha)) {
      if (entry.type === "blob") files.set(base + entry.path, entry.sha);
      else if (entry.type === "tree")
        for (const [path, sha] of await this.#listTree(entry.sha, base + entry.path)) files.set(path, sha);
    }
    return files;
  }
  /** The entry at `path` below a tree, or null; refuses to pass through or end at a symlink. */
  async #walk(root, path) {
    let current = root;
    const segments = path.split("/");
    for (const [i, segment] of segments.entries()) {
      if (current.type !== "tree") return null;
      const next = (await this.#entries(current.sha)).find((entry) => entry.path === segment);
      if (!next) return null;
      if (next.mode === SYMLINK_MODE) throw new SymlinkRefusedError(segments.slice(0, i + 1).join("/"));
      current = next;
    }
    return current;
  }
  /** One level of a tree. */
  async #entries(treeSha) {
    const known = this.#trees.get(treeSha);
    if (known) return known;
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(
      route,
      () => this.#octokit.request(route, { ...this.#repo, tree_sha: treeSha })
    );
    if (data.truncated)
      throw new GitHubStoreError(
        route,
        null,
        `the directory tree ${treeSha} has more entries than GitHub lists`
      );
    const entries = data.tree;
    this.#rememberTree(treeSha, entries);
    return entries;
  }
  #rememberTree(sha, entries) {
    this.#trees.set(sha, entries);
    if (this.#trees.size > TREE_CACHE_ENTRIES) this.#trees.delete(this.#trees.keys().next().value);
  }
  #rememberListing(key, files) {
    this.#forgetListing(key);
    this.#listings.set(key, files);
    this.#listedFiles += files.size;
    while (this.#listings.size > 1 && (this.#listings.size > LISTING_CACHE_ENTRIES || this.#listedFiles > LISTING_CACHE_FILES))
      this.#forgetListing(this.#listings.keys().next().value);
  }
  #forgetListing(key) {
    this.#listedFiles -= this.#listings.get(key)?.size ?? 0;
    this.#listings.delete(key);
  }
  /**
   * Every file of a commit (path → blob sha) from one recursive listing, also filling the
   * tree cache for every directory in it; null once GitHub truncates a listing here.
   */
  async #wholeListing(commit) {
    const known = this.#listings.get(`${commit}:`);
    if (known) return known;
    if (this.#perDirectory) return null;
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(
      route,
      () => this.#octokit.request(route, { ...this.#repo, tree_sha: commit, recursive: "1" })
    );
    this.#rememberCommit(commit, data.sha);
    if (data.truncated) {
      this.#perDirectory = true;
      return null;
    }
    const files = /* @__PURE__ */ new Map();
    const levels = /* @__PURE__ */ new Map([["", []]]);
    for (const entry of data.tree) {
      const slash = entry.path.lastIndexOf("/");
      const parent = slash < 0 ? "" : entry.path.slice(0, slash);
      const level = levels.get(parent) ?? [];
      levels.set(parent, level);
      level.push({ ...entry, path: entry.path.slice(slash + 1) });
      if (entry.type === "blob") files.set(entry.path, entry.sha);
    }
    const treeShas = new Map([
      ["", data.sha],
      ...data.tree.filter((e) => e.type === "tree").map((e) => [e.path, e.sha])
    ]);
    for (const [dir, entries] of levels) {
      const sha = treeShas.get(dir);
      if (sha !== void 0) this.#rememberTree(sha, entries);
    }
    this.#rememberListing(`${commit}:`, files);
    return files;
  }
  /** The root tree of a commit; asking for the commit's tree by the commit's sha also lists the root. */
  async #treeOfCommit(commit) {
    const known = this.#commits.get(commit);
    if (known) return known;
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(
      route,
      () => this.#octokit.request(route, { ...this.#repo, tree_sha: commit })
    );
    if (!data.truncated) this.#rememberTree(data.sha, data.tree);
    this.#rememberCommit(commit, data.sha);
    return data.sha;
  }
  #rememberCommit(commit, tree) {
    this.#commits.set(commit, tree);
    if (this.#commits.size > COMMIT_CACHE_ENTRIES)
      this.#commits.delete(this.#commits.keys().next().value);
  }
  #remember(sha, text) {
    if (this.#blobs.has(sha) || text.length > this.#blobCacheBytes / 4) return;
    this.#blobs.set(sha, text);
    this.#blobBytes += text.length;
    for (const [oldest, oldText] of this.#blobs) {
      if (this.#blobBytes <= this.#blobCacheBytes) break;
      this.#blobs.delete(oldest);
      this.#blobBytes -= oldText.length;
    }
  }
  async #call(route, send) {
    try {
      return await send();
    } catch (error) {
      throw wrap(route, error);
    }
  }
};
function statusOf(error) {
  const status = error.status;
  return typeof status === "number" ? status : null;
}
function wrap(route, error) {
  if (error instanceof KaizenError) return error;
  return new GitHubStoreError(route, statusOf(error), error.message);
}

// src/store/retention.ts
var LEDGERS_KEPT = 20;
var JOBS_KEPT = 50;
function pruneLedgers(tx, paths) {
  const ledgers = paths.filter((path) => path.endsWith(".ledger.jsonl")).sort();
  const expired = ledgers.slice(0, Math.max(0, ledgers.length - LEDGERS_KEPT));
  for (const path of expired) tx.delete(path);
  return expired.length;
}
function pruneJobRecords(tx, jobs) {
  const byAge = jobs.filter(({ path }) => parseJobPath(path) !== null).sort((a, b) => a.path.localeCompare(b.path));
  const withPullRequest = byAge.findLast(({ job }) => job.pr_url !== null);
  const older = byAge.slice(0, Math.max(0, byAge.length - (JOBS_KEPT - 1)));
  const expired = older.filter(({ job }) => !isInFlight(job.status) && job !== withPullRequest?.job);
  for (const { path } of expired) tx.delete(path);
  return expired.length;
}

// src/jobs/create.ts
var JobPreconditionError = class extends KaizenError {
  name = "JobPreconditionError";
};
async function createJob(store, request) {
  try {
    await loadTaskForJob(store, request.task);
    await request.preflight?.();
  } catch (error) {
    if (error instanceof KaizenError && !(error instanceof GitHubStoreError))
      throw new JobPreconditionError(error.message);
    throw error;
  }
  const now = request.now ?? /* @__PURE__ */ new Date();
  const { task } = request;
  return store.transact(
    `Start optimization of ${task} (${request.triggeredBy})`,
    async (tx) => {
      await reapInTransaction(tx, task, now, request.timing ?? DEFAULT_TIMING);
      const paths = await tx.list(layout.jobsDir(task));
      const earlier = [];
      for (const path of paths) {
        if (!parseJobPath(path)) continue;
        const existing = await tx.readJson(path, Job);
        if (existing && isInFlight(existing.status)) return { created: false, inFlight: existing };
        if (existing) earlier.push({ path, job: existing });
      }
      const state = await tx.readJson(layout.state(task), TaskState) ?? TaskState.parse({ task, created_at: now.toISOString() });
      const pending = Job.parse({
        id: newId(),
        task_id: taskId(request.repoKey, task),
        status: "PENDING",
        triggered_by: request.triggeredBy,
        feedback_count: state.feedback_retained,
        progress_step: "Waiting for a runner",
        created_at: now.toISOString()
      });
      const job = request.claim ? claimed(pending, now) : pending;
      tx.writeJson(layout.job(task, job.id), Job, job);
      pruneLedgers(tx, paths);
      pruneJobRecords(tx, earlier);
      tx.writeJson(layout.state(task), TaskState, {
        ...state,
        feedback_since_optimization: 0,
        last_optimization: now.toISOString()
      });
      return { created: true, job };
    }
  );
}
function claimed(job, now) {
  return transition(
    job,
    "RUNNING",
    {
      progress_step: "Loading the task and its feedback",
      job_metadata: { ...job.job_metadata ?? {}, heartbeat_at: now.toISOString() }
    },
    now
  );
}

// src/jobs/claim.ts
async function claimJob(store, trigger, options = {}) {
  const now = options.now ?? /* @__PURE__ */ new Date();
  const timing = options.timing ?? DEFAULT_TIMING;
  if ("jobId" in trigger) {
    const found = await store.getJob(trigger.jobId);
    if (!found) throw new KaizenError(`job ${trigger.jobId} does not exist in ${store.label}`);
    if (staleReason(found.job, now, timing)) await reapStale(store, { task: found.task, now, timing });
    try {
      const job = await store.updateJob(
        trigger.jobId,
        (j) => claimed(j, now),
        `Job ${trigger.jobId}: RUNNING (claimed)`
      );
      return { claimed: true, task: found.task, job };
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      const current = (await store.getJob(trigger.jobId)).job;
      return {
        claimed: false,
        task: found.task,
        reason: `job ${current.id} is already ${current.status}${current.error_message ? ` (${current.error_message})` : ""}`
      };
    }
  }
  const outcome = await createJob(store, { ...trigger, claim: true, now, timing });
  if (!outcome.created)
    return {
      claimed: false,
      task: trigger.task,
      reason: `job ${outcome.inFlight.id} is already ${outcome.inFlight.status}`
    };
  return { claimed: true, task: trigger.task, job: outcome.job };
}

// src/store/prompt-versions.ts
async function versionsIn(tx, task) {
  const versions = [];
  for (const path of await tx.list(layout.promptsDir(task))) {
    const version2 = await tx.readJson(path, PromptVersion);
    if (version2) versions.push(version2);
  }
  return versions.sort((a, b) => a.version_number - b.version_number);
}
async function activatePromptVersion(store, task, versionId) {
  return store.transact(`Activate prompt version of ${task}`, async (tx) => {
    const versions = await versionsIn(tx, task);
    const target = versions.find((v) => v.id === versionId);
    if (!target) throw new NotFoundError(`prompt version ${versionId} of task ${task} not found`);
    const archived = [];
    for (const version2 of versions) {
      if (version2.id !== versionId && version2.status === "active") {
        const changed = { ...version2, status: "archived" };
        tx.writeJson(layout.prompt(task, version2.version_number), PromptVersion, changed);
        archived.push(changed);
      }
    }
    const active = { ...target, status: "active" };
    if (target.status !== "active")
      tx.writeJson(layout.prompt(task, target.version_number), PromptVersion, active);
    return { active, archived };
  });
}
async function archivePromptVersion(store, task, versionId) {
  return store.transact(`Archive prompt version of ${task}`, async (tx) => {
    const target = (await versionsIn(tx, task)).find((v) => v.id === versionId);
    if (!target) throw new NotFoundError(`prompt version ${versionId} of task ${task} not found`);
    const archived = { ...target, status: "archived" };
    if (target.status !== "archived")
      tx.writeJson(layout.prompt(task, target.version_number), PromptVersion, archived);
    return archived;
  });
}

// src/jobs/finish.ts
async function finishJob(store, ref, result, shipped, now = /* @__PURE__ */ new Date()) {
  const { task } = ref;
  const jobId = ref.job.id;
  return store.transact(`Job ${jobId}: ${result.step}`, async (tx) => {
    const path = layout.job(task, jobId);
    const current = await tx.readJson(path, Job);
    if (isTerminal(current.status)) return current;
    if (result.ledger !== null) tx.write(layout.ledger(task, jobId), result.ledger);
    const metadata = { ...current.job_metadata ?? {}, ...result.metadata };
    if (!result.candidate || !shipped) {
      const done2 = transition(
        current,
        "SUCCESS",
        { progress_step: result.step, job_metadata: metadata },
        now
      );
      tx.writeJson(path, Job, done2);
      return done2;
    }
    const versions = await versionsIn(tx, task);
    let next = Math.max(0, ...versions.map((v) => v.version_number)) + 1;
    if (!versions.some((v) => v.status === "active")) {
      tx.writeJson(layout.prompt(task, next), PromptVersion, {
        ...version(current, next++, result.candidate.baseline, null, now),
        status: "active",
        optimizer: null,
        job_id: null
      });
    }
    const candidate = version(current, next, result.candidate.template, result.candidate.score, now);
    tx.writeJson(layout.prompt(task, next), PromptVersion, candidate);
    const withVersion = {
      prompt_version_id: candidate.id,
      job_metadata: { ...metadata, report: result.report }
    };
    const compiling = current.status === "COMPILING" ? current : transition(current, "COMPILING", {}, now);
    const done = "failed" in shipped ? transition(
      compiling,
      "PR_FAILED",
      {
        ...withVersion,
        error_message: shipped.failed,
        progress_step: "The pull request could not be opened"
      },
      now
    ) : transition(
      compiling,
      "SUCCESS",
      { ...withVersion, pr_url: shipped.shipped.url, progress_step: shipped.shipped.step },
      now
    );
    tx.writeJson(path, Job, done);
    return done;
  });
}
function version(job, number, text, score, now) {
  return PromptVersion.parse({
    id: newId(),
    task_id: job.task_id,
    version_number: number,
    prompt_text: text,
    eval_score: score,
    status: "candidate",
    optimizer: "kaizen",
    created_at: now.toISOString(),
    job_id: job.id
  });
}

// src/jobs/ports.ts
var DispatchError = class extends KaizenError {
  constructor(job, reason) {
    super(reason);
    this.job = job;
  }
  job;
  name = "DispatchError";
};
var ShipError = class extends KaizenError {
  name = "ShipError";
};

// src/jobs/ship.ts
var shipTitle = (task) => `Kaizen: better prompt for ${task}`;
async function shipJob(store, shipper, ref, result) {
  const candidate = result.candidate;
  if (!candidate) throw new Error("shipJob needs a result with a candidate");
  try {
    const shipped = await shipper.ship({
      task: ref.task,
      jobId: ref.job.id,
      baseBranch: candidate.baseBranch ?? await store.defaultBranch(),
      files: { [candidate.path]: candidate.fileText },
      title: shipTitle(ref.task),
      body: reportForGitHub(result.report, ISSUE_BODY_LIMIT, ref.job.id)
    });
    return { shipped };
  } catch (error) {
    if (error instanceof ShipError) return { failed: error.message };
    throw error;
  }
}

// src/jobs/execute.ts
async function executeJob(store, ref, options) {
  const result = await runJob(store, ref, options.run);
  const shipped = result.candidate ? await shipJob(store, options.shipper, ref, result) : null;
  const job = await finishJob(store, ref, result, shipped);
  return { job, result, shipped };
}

// node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var VERSION = "0.0.0-development";
function normalizePaginatedListResponse(response) {
  if (!response.data) {
    return {
      ...response,
      data: []
    };
  }
  const responseNeedsNormalization = ("total_count" in response.data || "total_commits" in response.data) && !("url" in response.data);
  if (!responseNeedsNormalization) return response;
  const incompleteResults = response.data.incomplete_results;
  const repositorySelection = response.data.repository_selection;
  const totalCount = response.data.total_count;
  const totalCommits = response.data.total_commits;
  delete response.data.incomplete_results;
  delete response.data.repository_selection;
  delete response.data.total_count;
  delete response.data.total_commits;
  const namespaceKey = Object.keys(response.data)[0];
  const data = response.data[namespaceKey];
  response.data = data;
  if (typeof incompleteResults !== "undefined") {
    response.data.incomplete_results = incompleteResults;
  }
  if (typeof repositorySelection !== "undefined") {
    response.data.repository_selection = repositorySelection;
  }
  response.data.total_count = totalCount;
  response.data.total_commits = totalCommits;
  return response;
}
function iterator(octokit, route, parameters) {
  const options = typeof route === "function" ? route.endpoint(parameters) : octokit.request.endpoint(route, parameters);
  const requestMethod = typeof route === "function" ? route : octokit.request;
  const method = options.method;
  const headers = options.headers;
  let url = options.url;
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        if (!url) return { done: true };
        try {
          const response = await requestMethod({ method, url, headers });
          const normalizedResponse = normalizePaginatedListResponse(response);
          url = ((normalizedResponse.headers.link || "").match(
            /<([^<>]+)>;\s*rel="next"/
          ) || [])[1];
          if (!url && "total_commits" in normalizedResponse.data) {
            const parsedUrl = new URL(normalizedResponse.url);
            const params = parsedUrl.searchParams;
            const page = parseInt(params.get("page") || "1", 10);
            const per_page = parseInt(params.get("per_page") || "250", 10);
            if (page * per_page < normalizedResponse.data.total_commits) {
              params.set("page", String(page + 1));
              url = parsedUrl.toString();
            }
          }
          return { value: normalizedResponse };
        } catch (error) {
          if (error.status !== 409) throw error;
          url = "";
          return {
            value: {
              status: 200,
              headers: {},
              data: []
            }
          };
        }
      }
    })
  };
}
function paginate(octokit, route, parameters, mapFn) {
  if (typeof parameters === "function") {
    mapFn = parameters;
    parameters = void 0;
  }
  return gather(
    octokit,
    [],
    iterator(octokit, route, parameters)[Symbol.asyncIterator](),
    mapFn
  );
}
function gather(octokit, results, iterator2, mapFn) {
  return iterator2.next().then((result) => {
    if (result.done) {
      return results;
    }
    let earlyExit = false;
    function done() {
      earlyExit = true;
    }
    results = results.concat(
      mapFn ? mapFn(result.value, done) : result.value.data
    );
    if (earlyExit) {
      return results;
    }
    return gather(octokit, results, iterator2, mapFn);
  });
}
var composePaginateRest = Object.assign(paginate, {
  iterator
});
function paginateRest(octokit) {
  return {
    paginate: Object.assign(paginate.bind(null, octokit), {
      iterator: iterator.bind(null, octokit)
    })
  };
}
paginateRest.VERSION = VERSION;

// src/github/paginate.ts
function paginate2(octokit) {
  return ((route, parameters) => composePaginateRest(octokit, route, parameters));
}

// src/github/pulls.ts
var KAIZEN_COMMIT_TRAILER = "Kaizen-Job";
var HUMAN_EDIT_MARKER = "<!-- kaizen:human-edited -->";
var PullRequestError = class extends KaizenError {
  constructor(status, reason) {
    super(`GitHub refused the pull request${status !== null ? ` (HTTP ${status})` : ""}: ${reason}`);
    this.status = status;
    this.reason = reason;
  }
  status;
  reason;
  name = "PullRequestError";
};
var taskBranch = (task) => `kaizen/${task}`;
async function ensurePromptPullRequest(octokit, pr) {
  const repo = { owner: pr.owner, repo: pr.repo };
  const branch = taskBranch(pr.task);
  try {
    const baseSha = await refSha(octokit, repo, `heads/${pr.baseBranch}`);
    if (baseSha === null) throw new PullRequestError(404, `base branch ${pr.baseBranch} does not exist`);
    const commit = await commitOnBase(octokit, repo, pr, baseSha);
    if (await createBranch(octokit, repo, branch, commit))
      return await openPullRequest(octokit, repo, pr, null);
    const open = await findOpenPullRequest(octokit, repo, branch);
    const branchHead = await refSha(octokit, repo, `heads/${branch}`);
    if (branchHead !== null && !await isKaizenCommit(octokit, repo, branchHead) && (open || !await wasMerged(octokit, repo, branch, branchHead))) {
      if (open)
        await commentOnce(
          octokit,
          repo,
          open.number,
          `${HUMAN_EDIT_MARKER}
Someone pushed to \`${branch}\`, so Kaizen leaves this branch alone: new results for **${pr.task}** will not be written here until the branch is deleted or merged.`
        );
      return { action: "left-alone", url: open?.html_url ?? null, number: open?.number ?? null, branch };
    }
    if (branchHead === null) {
      if (!await createBranch(octokit, repo, branch, commit))
        throw new PullRequestError(409, `branch ${branch} was created by someone else at the same time`);
    } else {
      await octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
        ...repo,
        ref: `heads/${branch}`,
        sha: commit,
        force: true
      });
    }
    return await openPullRequest(octokit, repo, pr, open);
  } catch (error) {
    if (error instanceof PullRequestError) throw error;
    const status = typeof error.status === "number" ? error.status : null;
    throw new PullRequestError(status, error.message);
  }
}
async function commitOnBase(octokit, repo, pr, baseSha) {
  const baseTree = await refuseUnsafePaths(octokit, repo, baseSha, Object.keys(pr.files));
  const tree = await octokit.request("POST /repos/{owner}/{repo}/git/trees", {
    ...repo,
    base_tree: baseTree,
    tree: Object.entries(pr.files).map(([path, content]) => ({
      path,
      mode: "100644",
      type: "blob",
      content
    }))
  });
  const commit = await octokit.request("POST /repos/{owner}/{repo}/git/commits", {
    ...repo,
    message: `${pr.title}

${KAIZEN_COMMIT_TRAILER}: ${pr.jobId}`,
    tree: tree.data.sha,
    parents: [baseSha]
  });
  return commit.data.sha;
}
async function createBranch(octokit, repo, branch, sha) {
  try {
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      ...repo,
      ref: `refs/heads/${branch}`,
      sha
    });
    return true;
  } catch (error) {
    const message = String(error.response?.data?.message);
    if (error.status === 422 && /already exists/i.test(message)) return false;
    throw error;
  }
}
async function openPullRequest(octokit, repo, pr, open) {
  const branch = taskBranch(pr.task);
  const body = fitBody(pr.body, GITHUB_LIMITS.issueBody, fullReportOf(pr));
  if (!open) {
    try {
      const created = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
        ...repo,
        title: pr.title,
        head: branch,
        base: pr.baseBranch,
        body,
        maintainer_can_modify: true
      });
      return { action: "created", url: created.data.html_url, number: created.data.number, branch };
    } catch (error) {
      const message = String(
        error.response?.data?.message
      );
      if (error.status !== 422 || !/already exists/i.test(message)) throw error;
      open = await findOpenPullRequest(octokit, repo, branch);
      if (!open) throw error;
    }
  }
  const updated = await octokit.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
    ...repo,
    pull_number: open.number,
    title: pr.title,
    body
  });
  return { action: "updated", url: updated.data.html_url, number: updated.data.number, branch };
}
var fullReportOf = (pr) => `job ${pr.jobId} (\`kaizen status ${pr.task}\`, or \`jobs/${pr.task}/${pr.jobId}.json\` on branch \`kaizen/data\`)`;
async function refuseUnsafePaths(octokit, repo, baseSha, paths) {
  for (const path of paths) {
    const problem = promptPathProblem(path);
    if (problem) throw new PullRequestError(null, `the file path ${JSON.stringify(path)} ${problem}`);
  }
  const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
  const whole = await octokit.request(route, { ...repo, tree_sha: baseSha, recursive: "1" });
  const symlink = (prefix) => new PullRequestError(
    null,
    `${prefix} is a symlink in the repository; Kaizen never writes through a symlink`
  );
  const prefixes = (path) => path.split("/").map((_, i, all) => all.slice(0, i + 1).join("/"));
  if (!whole.data.truncated) {
    const modes = new Map(whole.data.tree.map((e) => [e.path, e.mode]));
    for (const path of paths)
      for (const prefix of prefixes(path)) if (modes.get(prefix) === "120000") throw symlink(prefix);
    return whole.data.sha;
  }
  for (const path of paths) {
    let tree = whole.data.sha;
    for (const [i, segment] of path.split("/").entries()) {
      if (tree === null) break;
      const listed = await octokit.request(route, { ...repo, tree_sha: tree });
      const entry = listed.data.tree.find((e) => e.path === segment);
      if (entry?.mode === "120000") throw symlink(prefixes(path)[i]);
      tree = entry?.type === "tree" && entry.sha ? entry.sha : null;
    }
  }
  return whole.data.sha;
}
async function findOpenPullRequest(octokit, repo, branch) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 1
  });
  return data[0] ?? null;
}
async function wasMerged(octokit, repo, branch, head) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "closed",
    per_page: 10
  });
  return data.some((pr) => pr.merged_at !== null && pr.head.sha === head);
}
async function refSha(octokit, repo, ref) {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref });
    return data.object.sha;
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}
async function isKaizenCommit(octokit, repo, sha) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
    ...repo,
    commit_sha: sha
  });
  return new RegExp(`^${KAIZEN_COMMIT_TRAILER}: `, "m").test(data.message);
}
async function commentOnce(octokit, repo, issueNumber, body) {
  const comments = await paginate2(octokit)("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...repo,
    issue_number: issueNumber,
    per_page: 100
  });
  if (comments.some((c) => c.body?.includes(HUMAN_EDIT_MARKER))) return;
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...repo,
    issue_number: issueNumber,
    body: fitBody(body, GITHUB_LIMITS.issueBody, "the job's record on branch kaizen/data")
  });
}

// src/jobs/shippers.ts
function gitHubShipper(octokit, repo) {
  return {
    async ship(request) {
      try {
        const pr = await ensurePromptPullRequest(octokit, { ...repo, ...request });
        const leftAlone = pr.action === "left-alone";
        return {
          url: pr.url,
          branch: pr.branch,
          leftAlone,
          step: leftAlone ? `Branch ${pr.branch} was changed by a person; Kaizen left it alone` : `Pull request ${pr.action}`
        };
      } catch (error) {
        if (error instanceof PullRequestError) throw new ShipError(error.message);
        throw error;
      }
    }
  };
}
function localBranchShipper(store) {
  return {
    async ship(request) {
      const backend = store.backend;
      const branch = taskBranch(request.task);
      try {
        const base = await backend.head(request.baseBranch);
        const current = await backend.head(branch);
        await backend.commit({
          branch,
          parent: base,
          expected: current,
          changes: new Map(Object.entries(request.files)),
          message: `${request.title}

${KAIZEN_COMMIT_TRAILER}: ${request.jobId}`
        });
      } catch (error) {
        throw new ShipError(`could not write the branch ${branch}: ${error.message}`);
      }
      return { url: null, branch, leftAlone: false, step: `Branch ${branch} written` };
    }
  };
}

// src/jobs/activate.ts
async function templateAt(store, task, ref) {
  const config = (await loadTasks(store, ref)).tasks.find((t) => t.name === task);
  if (!config?.prompt_path) return null;
  const text = await store.readRepoFile(config.prompt_path, ref);
  if (text === null) return null;
  return readPrompt(text, config.prompt_format ?? detectPromptFormat(config.prompt_path, text));
}
function activateIn(tx, task, versions, target) {
  for (const v of versions)
    if (v.id !== target.id && v.status === "active")
      tx.writeJson(layout.prompt(task, v.version_number), PromptVersion, { ...v, status: "archived" });
  tx.writeJson(layout.prompt(task, target.version_number), PromptVersion, { ...target, status: "active" });
}
async function activateMerged(store, task, versionId, mergeCommit) {
  const merged = mergeCommit ? await templateAt(store, task, mergeCommit).catch(() => null) : null;
  return store.transact(`Activate the merged prompt of ${task}`, async (tx) => {
    const versions = await versionsIn(tx, task);
    const candidate = versions.find((v) => v.id === versionId);
    if (!candidate) throw new NotFoundError(`prompt version ${versionId} of task ${task} not found`);
    if (merged === null || merged === candidate.prompt_text) {
      activateIn(tx, task, versions, candidate);
      return { ...candidate, status: "active" };
    }
    tx.writeJson(layout.prompt(task, candidate.version_number), PromptVersion, {
      ...candidate,
      status: "archived"
    });
    const edited = PromptVersion.parse({
      id: newId(),
      task_id: candidate.task_id,
      version_number: Math.max(...versions.map((v) => v.version_number)) + 1,
      prompt_text: merged,
      eval_score: null,
      status: "active",
      optimizer: "kaizen, edited in review",
      created_at: (/* @__PURE__ */ new Date()).toISOString(),
      job_id: candidate.job_id
    });
    activateIn(
      tx,
      task,
      versions.filter((v) => v.id !== candidate.id),
      edited
    );
    return edited;
  });
}
async function activateVersion(store, shipper, config, versionId) {
  const { active } = await activatePromptVersion(store, config.name, versionId);
  if (!shipper || !config.prompt_path || active.prompt_text === null) return { active, shipped: null };
  const fileText = await store.readRepoFile(config.prompt_path);
  const format = config.prompt_format ?? detectPromptFormat(config.prompt_path, fileText ?? "");
  if (fileText !== null && readPrompt(fileText, format) === active.prompt_text)
    return { active, shipped: null };
  const shipped = await shipper.ship({
    task: config.name,
    jobId: active.job_id ?? active.id,
    baseBranch: config.github_base_branch ?? await store.defaultBranch(),
    files: {
      [config.prompt_path]: fileText === null ? active.prompt_text : writePrompt(fileText, format, active.prompt_text)
    },
    title: `Kaizen: activate version ${active.version_number} of ${config.name}`,
    body: `Version ${active.version_number} of **${config.name}** was made active (the API serves it from now on). This pull request brings \`${config.prompt_path}\` in line with it.
`
  });
  return { active, shipped };
}
async function activateMergedCandidates(store, task) {
  const versions = await store.listPromptVersions(task);
  if (!versions.some((v) => v.status === "candidate")) return null;
  const template = await templateAt(store, task);
  const merged = versions.find((v) => v.status === "candidate" && v.prompt_text === template);
  if (!merged) return null;
  return (await activatePromptVersion(store, task, merged.id)).active;
}

// src/jobs/dispatchers.ts
var import_yaml = __toESM(require_dist(), 1);

// src/github/dispatch.ts
var DEFAULT_WORKFLOW = "kaizen.yml";
var WorkflowDispatchError = class extends KaizenError {
  constructor(workflow, status, detail) {
    super(detail);
    this.workflow = workflow;
    this.status = status;
  }
  workflow;
  status;
  name = "WorkflowDispatchError";
};
function refusal(workflow, ref, error) {
  const status = typeof error.status === "number" ? error.status : null;
  const file = `.github/workflows/${workflow}`;
  const github = error.response?.data?.message ?? error.message;
  const fix = `add ${file} with a workflow_dispatch trigger (\`kaizen init\` writes one), or name your workflow file in .kaizen/config.yml (\`workflow: <file>.yml\`)`;
  if (status === 404)
    return new WorkflowDispatchError(
      workflow,
      status,
      `GitHub has no workflow ${file} on the default branch (HTTP 404 Not Found): ${fix}`
    );
  return new WorkflowDispatchError(
    workflow,
    status,
    `GitHub refused to start ${file} on ${ref}${status !== null ? ` (HTTP ${status})` : ""}: ${github}; ${fix}, and check that the token may run workflows (actions: write)`
  );
}
async function dispatchOptimization(octokit, repo, options) {
  const response = await octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
    ...repo,
    workflow_id: options.workflow,
    ref: options.ref,
    inputs: { task: options.task, "job-id": options.jobId },
    return_run_details: true
  }).catch((error) => {
    throw refusal(options.workflow, options.ref, error);
  });
  const data = response.status === 200 ? response.data : null;
  return { runId: data?.workflow_run_id ?? null, url: data?.html_url ?? null };
}

// src/jobs/dispatchers.ts
var REPO_CONFIG_PATH = ".kaizen/config.yml";
async function kaizenWorkflow(store) {
  const text = await store.readRepoFile(REPO_CONFIG_PATH);
  if (text === null) return DEFAULT_WORKFLOW;
  let config;
  try {
    config = (0, import_yaml.parse)(text);
  } catch (error) {
    throw new KaizenError(`${REPO_CONFIG_PATH}: not valid YAML: ${error.message}`);
  }
  const workflow = config?.workflow;
  if (workflow === void 0 || workflow === null) return DEFAULT_WORKFLOW;
  if (typeof workflow !== "string" || !/^[\w.-]+\.ya?ml$/.test(workflow.replace(/^\.github\/workflows\//, "")))
    throw new KaizenError(
      `${REPO_CONFIG_PATH}: field "workflow" must be the file name of a workflow in .github/workflows (such as kaizen.yml), got ${JSON.stringify(workflow)}`
    );
  return workflow.replace(/^\.github\/workflows\//, "");
}
function gitHubDispatcher(octokit, repo, store, log = () => {
}) {
  return {
    async dispatch({ task, job }) {
      let workflow = DEFAULT_WORKFLOW;
      try {
        workflow = await kaizenWorkflow(store);
        const run = await dispatchOptimization(octokit, repo, {
          workflow,
          ref: await store.defaultBranch(),
          task,
          jobId: job.id
        });
        await store.updateJob(job.id, (j) => ({
          ...j,
          job_metadata: { ...j.job_metadata ?? {}, workflow_run_id: run.runId, workflow_run_url: run.url }
        }));
      } catch (error) {
        const reason = error instanceof WorkflowDispatchError ? `could not start the Kaizen workflow: ${error.message}` : `could not start the Kaizen workflow (.github/workflows/${workflow}): ${error.message}`;
        const failed = await store.updateJob(
          job.id,
          (j) => transition(j, "FAILED", { error_message: reason })
        );
        log(reason);
        throw new DispatchError(failed, reason);
      }
    }
  };
}

// src/jobs/retry-pr.ts
async function retryShip(store, shipper, jobId) {
  const found = await store.getJob(jobId);
  if (!found) throw new NotFoundError(`job ${jobId} not found`);
  const { task, job } = found;
  if (job.status !== "PR_FAILED") throw new IllegalTransitionError(job.status, "SUCCESS");
  const version2 = job.prompt_version_id ? (await store.listPromptVersions(task)).find((v) => v.id === job.prompt_version_id) : void 0;
  if (!version2?.prompt_text)
    throw new NotFoundError(`the prompt version of job ${job.id} is gone; run the optimization again`);
  const loaded = await loadTaskForJob(store, task);
  if (!loaded.config.prompt_path) throw new KaizenError(`task ${task} has no prompt_path`);
  try {
    const shipped = await shipper.ship({
      task,
      jobId: job.id,
      baseBranch: loaded.config.github_base_branch ?? await store.defaultBranch(),
      files: {
        [loaded.config.prompt_path]: writePrompt(loaded.fileText, loaded.format, version2.prompt_text)
      },
      title: shipTitle(task),
      body: String(
        job.job_metadata?.report ?? `Prompt version ${version2.version_number} of ${task}, from job ${job.id}.`
      )
    });
    if (shipped.leftAlone)
      throw new ShipError(`the branch ${shipped.branch} was changed by a person; Kaizen leaves it alone`);
    return await store.updateJob(
      job.id,
      (j) => transition(j, "SUCCESS", { pr_url: shipped.url, error_message: null, progress_step: shipped.step })
    );
  } catch (error) {
    if (!(error instanceof ShipError)) throw error;
    await store.updateJob(job.id, (j) => transition(j, "PR_FAILED", { error_message: error.message }));
    throw error;
  }
}

// src/jobs/start.ts
async function startJob(store, dispatcher, request) {
  const outcome = await createJob(store, request);
  if (outcome.created) {
    request.onCreated?.(outcome.job);
    await dispatcher.dispatch({ task: request.task, job: outcome.job });
  }
  return outcome;
}

// src/github/dashboard.ts
var DASHBOARD_TITLE = "Kaizen dashboard";
var DASHBOARD_LABEL = "kaizen";
var MARKER = "<!-- kaizen:dashboard -->";
function utc(iso) {
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
function renderDashboard(tasks) {
  const lines = [
    MARKER,
    "Kaizen keeps this issue up to date after every job and merge. Tick a box to act.",
    ""
  ];
  for (const task of tasks) {
    const active = task.versions.find((v) => v.status === "active");
    lines.push(
      `## ${task.name}`,
      "",
      `Feedback since the last optimization: **${task.feedbackSinceOptimization} / ${task.threshold}**${task.feedbackSinceOptimization >= task.threshold ? " (due)" : ""} \xB7 active prompt: ${active ? `v${active.version_number}${active.eval_score !== null ? ` (${(active.eval_score * 100).toFixed(1)}%)` : ""}` : "none yet"}`,
      ""
    );
    const chart = scoreChartOrTable(`${task.name}: score by version`, versionPoints(task.versions));
    if (chart) lines.push(chart, "");
    if (task.jobs.length > 0) {
      lines.push("| job | started | state | result |", "| --- | --- | --- | --- |");
      for (const job of task.jobs.slice(0, 5)) {
        const run = typeof job.job_metadata?.workflow_run_url === "string" ? ` ([run](${job.job_metadata.workflow_run_url}))` : "";
        lines.push(
          // The whole id: a UUIDv7 starts with its timestamp, so jobs of one day share their first characters.
          `| \`${job.id}\`${run} | ${utc(job.created_at)} | ${job.status} | ${job.pr_url ? `[pull request](${job.pr_url})` : cell(job.error_message ?? job.progress_step ?? "")} |`
        );
      }
      lines.push("");
    }
    lines.push(`- [ ] <!-- kaizen:optimize:${task.name} --> Optimize **${task.name}** now`);
    for (const job of task.jobs.filter((j) => j.status === "PR_FAILED"))
      lines.push(`- [ ] <!-- kaizen:retry-pr:${job.id} --> Retry the pull request of job \`${job.id}\``);
    lines.push("");
  }
  return lines.join("\n");
}
function tickedActions(before, after) {
  const ticked = (body) => new Set(
    [...body.matchAll(/^- \[[xX]\] <!-- kaizen:(optimize|retry-pr):([^ ]+) -->/gm)].map(
      (m) => `${m[1]}:${m[2]}`
    )
  );
  const was = ticked(before);
  return [...ticked(after)].filter((t) => !was.has(t)).map((t) => {
    const [kind, value] = t.split(/:(.*)/s);
    return kind === "optimize" ? { kind: "optimize", task: value } : { kind: "retry-pr", jobId: value };
  });
}
async function ensureDashboard(octokit, repo, fullBody) {
  const body = fitBody(
    fullBody,
    GITHUB_LIMITS.issueBody,
    "each task's page of the Kaizen API (`kaizen status`)"
  );
  const issues = await paginate2(octokit)("GET /repos/{owner}/{repo}/issues", {
    ...repo,
    state: "open",
    labels: DASHBOARD_LABEL,
    per_page: 100
  });
  const existing = issues.find(
    (issue) => issue.title === DASHBOARD_TITLE && issue.body?.startsWith(MARKER) && isByBot(issue.user)
  );
  if (!existing) {
    const created = await octokit.request("POST /repos/{owner}/{repo}/issues", {
      ...repo,
      title: DASHBOARD_TITLE,
      body,
      labels: [DASHBOARD_LABEL]
    });
    return { number: created.data.number, action: "created" };
  }
  if (existing.body === body) return { number: existing.number, action: "unchanged" };
  await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    ...repo,
    issue_number: existing.number,
    body
  });
  return { number: existing.number, action: "updated" };
}
function isDashboard(issue) {
  return issue.title === DASHBOARD_TITLE && (issue.body ?? "").startsWith(MARKER);
}
function isByBot(user) {
  return user?.type === "Bot";
}
var DASHBOARD_RECORD = "github/dashboard.json";
var DashboardRecord = external_exports.object({ issue_number: external_exports.number().int().positive() });
async function recordDashboardIssue(store, issueNumber) {
  await store.transact(`Record the dashboard issue #${issueNumber}`, async (tx) => {
    const current = await tx.readJson(DASHBOARD_RECORD, DashboardRecord);
    if (current?.issue_number !== issueNumber)
      tx.writeJson(DASHBOARD_RECORD, DashboardRecord, { issue_number: issueNumber });
  });
}
async function recordedDashboardIssue(store) {
  return store.transact("Read the dashboard issue record", async (tx) => {
    return (await tx.readJson(DASHBOARD_RECORD, DashboardRecord))?.issue_number ?? null;
  });
}

// src/jobs/dashboard.ts
async function dashboardTasks(store) {
  const { overviews } = await taskOverviews(store);
  return overviews.map(({ config, state, versions, jobs }) => ({
    name: config.name,
    feedbackSinceOptimization: state?.feedback_since_optimization ?? 0,
    threshold: config.feedback_threshold,
    versions,
    jobs
  }));
}
async function refreshDashboard(store, octokit, repo) {
  const result = await ensureDashboard(octokit, repo, renderDashboard(await dashboardTasks(store)));
  await recordDashboardIssue(store, result.number);
  return result;
}

export {
  paginateRest,
  isInFlight,
  isTerminal,
  timingFromEnv,
  failJob,
  JobAlreadyEndedError,
  cancelJob,
  GitHubStoreError,
  GitHubBackend,
  staleReason,
  reapStale,
  JobPreconditionError,
  claimJob,
  DispatchError,
  ShipError,
  gitHubDispatcher,
  versionsIn,
  archivePromptVersion,
  executeJob,
  retryShip,
  paginate2 as paginate,
  ensurePromptPullRequest,
  gitHubShipper,
  localBranchShipper,
  startJob,
  tickedActions,
  isDashboard,
  recordedDashboardIssue,
  refreshDashboard,
  activateMerged,
  activateVersion,
  activateMergedCandidates
};
