import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  DATA_BRANCH,
  TASKS_DIR,
  TaskConfigFields,
  controlCharacterIn,
  external_exports,
  layout,
  parseJobPath
} from "./chunk-IM6PW7XL.js";
import {
  KaizenError,
  NotFoundError
} from "./chunk-4CXYVOQZ.js";

// src/core/records.ts
var Id = external_exports.guid();
var Timestamp = external_exports.iso.datetime({ offset: true });
var Score = external_exports.number().min(0).max(1);
var Json = external_exports.record(external_exports.string(), external_exports.unknown());
var JOB_STATUSES = [
  "PENDING",
  "RUNNING",
  "EVALUATING",
  "COMPILING",
  "SUCCESS",
  "FAILED",
  "PR_FAILED"
];
var JobStatus = external_exports.preprocess((v) => v === "FAILURE" ? "FAILED" : v, external_exports.enum(JOB_STATUSES));
var TRIGGERS = ["auto_threshold", "api_on_demand", "schedule", "manual"];
var TriggeredBy = external_exports.enum(TRIGGERS);
var PROMPT_STATUSES = ["active", "candidate", "archived"];
var PromptStatus = external_exports.enum(PROMPT_STATUSES);
var Task = external_exports.object({
  id: Id,
  ...TaskConfigFields,
  created_at: Timestamp,
  feedback_count: external_exports.number().int().nonnegative().default(0),
  last_optimization: Timestamp.nullable().default(null),
  active_prompt_score: external_exports.number().nullable().default(null),
  threshold_progress: external_exports.string().default("0/50")
});
var FeedbackInput = external_exports.object({
  id: Id.optional(),
  task_id: external_exports.string().min(1),
  inputs: Json.nullable().default(null),
  output: external_exports.string().nullable().default(null),
  score: Score.nullable().default(null),
  source: external_exports.string().max(200).nullable().default("sdk"),
  metadata: Json.nullable().default(null)
});
var FeedbackResult = external_exports.object({
  id: Id,
  task_id: Id,
  inputs: Json.nullable().default(null),
  output: external_exports.string().nullable().default(null),
  score: Score.nullable().default(null),
  source: external_exports.string().nullable().default(null),
  metadata: Json.nullable().default(null),
  created_at: Timestamp
});
var PromptVersion = external_exports.object({
  id: Id,
  task_id: Id,
  version_number: external_exports.number().int().positive(),
  prompt_text: external_exports.string().nullable().default(null),
  eval_score: external_exports.number().nullable().default(null),
  status: PromptStatus,
  optimizer: external_exports.string().nullable().default(null),
  dspy_version: external_exports.string().nullable().default(null),
  created_at: Timestamp,
  /** The job that produced this version; null for a baseline. */
  job_id: Id.nullable().default(null)
});
var Job = external_exports.object({
  id: Id,
  task_id: Id,
  prompt_version_id: Id.nullable().default(null),
  status: JobStatus,
  triggered_by: TriggeredBy.nullable().default(null),
  feedback_count: external_exports.number().int().nonnegative().nullable().default(null),
  pr_url: external_exports.string().nullable().default(null),
  error_message: external_exports.string().nullable().default(null),
  job_metadata: Json.nullable().default(null),
  progress_step: external_exports.string().nullable().default(null),
  started_at: Timestamp.nullable().default(null),
  completed_at: Timestamp.nullable().default(null),
  created_at: Timestamp
});
var CostEstimate = external_exports.object({
  estimated_cost_usd: external_exports.number().nonnegative(),
  estimated_llm_calls: external_exports.number().int().nonnegative(),
  train_size: external_exports.number().int().nonnegative(),
  val_size: external_exports.number().int().nonnegative(),
  max_trials: external_exports.number().int().nonnegative(),
  teacher_model: external_exports.string(),
  judge_model: external_exports.string()
});
var OptimizeResult = external_exports.object({
  job: Job,
  cost_estimate: CostEstimate,
  budget_warning: external_exports.string().nullable().default(null)
});
var TraceResult = external_exports.object({
  id: Id,
  task_id: Id,
  prompt_text: external_exports.string().nullable().default(null),
  response_text: external_exports.string().nullable().default(null),
  model: external_exports.string().nullable().default(null),
  tokens: external_exports.number().int().nonnegative().nullable().default(null),
  latency_ms: external_exports.number().nonnegative().nullable().default(null),
  source_file: external_exports.string().nullable().default(null),
  /** Line of the call in `source_file`; the seeds have no such field, `instrument()` adds it. */
  source_line: external_exports.number().int().positive().nullable().default(null),
  source_variable: external_exports.string().nullable().default(null),
  score: Score.nullable().default(null),
  scored_by: external_exports.string().nullable().default(null),
  created_at: Timestamp
});
var TraceInput = TraceResult.omit({
  id: true,
  task_id: true,
  created_at: true,
  score: true,
  scored_by: true
}).extend({
  id: Id.optional(),
  task_id: external_exports.string().min(1)
});
var ApiKeyRecord = external_exports.object({
  id: Id,
  /** `owner/name` of the one repository this key opens. */
  repo: external_exports.string(),
  /** The first characters of the secret, so a person can tell keys apart. */
  prefix: external_exports.string(),
  /** sha256 of the whole secret, hex. */
  hash: external_exports.string().regex(/^[0-9a-f]{64}$/),
  created_at: Timestamp,
  created_by: external_exports.string().nullable().default(null)
});

// src/store/backend.ts
var RefConflictError = class extends KaizenError {
  constructor(branch, expected) {
    super(
      `branch ${branch} moved while we wrote to it (expected ${expected ?? "no branch"}); re-read and retry`
    );
    this.branch = branch;
    this.expected = expected;
  }
  branch;
  expected;
  name = "RefConflictError";
};
var ProtectedBranchError = class extends KaizenError {
  constructor(branch, detail) {
    super(`branch ${branch} is protected: ${detail}`);
    this.branch = branch;
  }
  branch;
  name = "ProtectedBranchError";
};
var UnsafeGitNameError = class extends KaizenError {
  constructor(what, value, problem) {
    super(`refusing the git ${what} ${JSON.stringify(value)}: it ${problem}`);
    this.what = what;
    this.value = value;
    this.problem = problem;
  }
  what;
  value;
  problem;
  name = "UnsafeGitNameError";
};
var SymlinkRefusedError = class extends KaizenError {
  constructor(path) {
    super(
      `${path} is (or lies below) a symlink in the repository; Kaizen never follows symlinks: make it a regular file`
    );
    this.path = path;
  }
  path;
  name = "SymlinkRefusedError";
};
function gitPathProblem(path) {
  if (path.length === 0) return "is empty";
  const control = controlCharacterIn(path);
  if (control) return `contains a control character (${control})`;
  if (path.startsWith("/")) return "is absolute";
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return "has an empty, '.' or '..' segment";
  if (segments.some((s) => s.toLowerCase() === ".git")) return "has a .git segment";
  return null;
}
function refNameProblem(ref) {
  if (ref.length === 0) return "is empty";
  const control = controlCharacterIn(ref);
  if (control) return `contains a control character (${control})`;
  if (ref.startsWith("-") || ref.startsWith("/")) return "starts with '-' or '/'";
  if (/[ ~^:?*[\\]|\.\.|@\{|\/\/|\/\.|\.lock$|[/.]$/.test(ref)) return "is not a valid git ref name";
  return null;
}
function assertSafeGitPath(path) {
  const problem = gitPathProblem(path);
  if (problem) throw new UnsafeGitNameError("path", path, problem);
}
function assertSafeRefName(ref) {
  const problem = refNameProblem(ref);
  if (problem) throw new UnsafeGitNameError("ref", ref, problem);
}
function assertSafeGitDir(dir) {
  const trimmed = dir.replace(/\/$/, "");
  if (trimmed !== "") assertSafeGitPath(trimmed);
}
function pathPrefixes(path) {
  const segments = path.split("/");
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

// src/store/segments.ts
import { randomBytes } from "node:crypto";
function newSegmentName(now) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}
function toJsonl(records) {
  return records.map((r) => JSON.stringify(r)).join("\n") + (records.length > 0 ? "\n" : "");
}
function jsonlLines(text) {
  return text.split("\n").filter((line) => line.trim() !== "");
}

// src/store/store.ts
var TaskState = external_exports.object({
  task: external_exports.string(),
  /** When Kaizen first stored anything for the task. */
  created_at: Timestamp,
  /** Feedback entries ever stored (after deduplication), including ones retention removed. */
  feedback_total: external_exports.number().int().nonnegative().default(0),
  /** Feedback entries on the data branch now (at most the retention limit). */
  feedback_retained: external_exports.number().int().nonnegative().default(0),
  /** Feedback stored since the last optimization started; compared with the threshold. */
  feedback_since_optimization: external_exports.number().int().nonnegative().default(0),
  last_optimization: Timestamp.nullable().default(null),
  traces_total: external_exports.number().int().nonnegative().default(0),
  /** Segment file name → entries in it, oldest first, for feedback and for traces. */
  feedback_segments: external_exports.record(external_exports.string(), external_exports.number().int().nonnegative()).default({}),
  trace_segments: external_exports.record(external_exports.string(), external_exports.number().int().nonnegative()).default({})
});

// src/store/repo-store.ts
var MAX_SEGMENTS = 64;
var SEGMENT_TARGET_ENTRIES = 5e3;
var StoreContentionError = class extends KaizenError {
  name = "StoreContentionError";
};
var RepoStore = class {
  label;
  #backend;
  #maxAttempts;
  #backoffMs;
  #now;
  #indexes = /* @__PURE__ */ new Map();
  constructor(backend, options = {}) {
    this.#backend = backend;
    this.label = backend.label;
    this.#maxAttempts = options.maxAttempts ?? 40;
    this.#backoffMs = options.backoffMs ?? 15;
    this.#now = options.now ?? (() => /* @__PURE__ */ new Date());
  }
  get backend() {
    return this.#backend;
  }
  defaultBranch() {
    return this.#backend.defaultBranch();
  }
  async readRepoFile(path, ref) {
    return this.#backend.readFile(ref ?? await this.#backend.defaultBranch(), path);
  }
  async listTaskFiles(ref) {
    const commit = await this.#resolve(ref ?? await this.#backend.defaultBranch());
    if (commit === null) return [];
    const files = await this.#backend.listFiles(commit, TASKS_DIR);
    const taskFiles = [...files].filter(([path]) => /^\.kaizen\/tasks\/[^/]+\.ya?ml$/.test(path)).sort(([a], [b]) => a.localeCompare(b));
    return Promise.all(
      taskFiles.map(async ([path, sha]) => ({ path, text: await this.#backend.readBlob(sha) }))
    );
  }
  async commitToDefaultBranch(files, message) {
    const branch = await this.#backend.defaultBranch();
    for (let attempt = 1; ; attempt++) {
      const head = await this.#backend.head(branch);
      try {
        return await this.#backend.commit({
          branch,
          parent: head,
          changes: new Map(Object.entries(files)),
          message
        });
      } catch (error) {
        if (!(error instanceof RefConflictError) || attempt >= this.#maxAttempts) throw error;
      }
    }
  }
  // ---- transactions -------------------------------------------------------------------------
  async transact(message, work) {
    return (await this.#transact(message, work)).result;
  }
  /** transact, also telling which commit landed (null when nothing was written). */
  async #transact(message, work) {
    for (let attempt = 1; ; attempt++) {
      const head = await this.#backend.head(DATA_BRANCH, { maybeStale: attempt === 1 });
      const tx = new Transaction(this.#backend, head);
      const result = await work(tx);
      if (tx.changes.size === 0) {
        if (attempt === 1 && await this.#backend.head(DATA_BRANCH) !== head) continue;
        return { result, commit: null };
      }
      try {
        const commit = await this.#backend.commit({
          branch: DATA_BRANCH,
          parent: head,
          changes: tx.changes,
          message
        });
        return { result, commit };
      } catch (error) {
        if (!(error instanceof RefConflictError)) throw error;
        if (attempt >= this.#maxAttempts) {
          throw new StoreContentionError(
            `${this.label}: gave up on "${message}" after losing ${attempt} races for ${DATA_BRANCH}; too many writers at once`
          );
        }
        const ceiling = Math.min(this.#backoffMs * 2 ** Math.min(attempt, 6), 1e3);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
    }
  }
  // ---- feedback and traces ------------------------------------------------------------------
  appendFeedback(task, records, options) {
    return this.#append("feedback", task, records, FeedbackResult, options.retentionLimit);
  }
  readFeedback(task, options = {}) {
    return this.#read("feedback", task, FeedbackResult, options);
  }
  appendTraces(task, records, options = {}) {
    return this.#append("traces", task, records, TraceResult, options.retentionLimit ?? null);
  }
  readTraces(task, options = {}) {
    return this.#read("traces", task, TraceResult, options);
  }
  /**
   * The trace with this id, in any task. A score usually follows its trace within minutes, so the
   * segments of every task are read newest first, each one's ids kept in the task's index, and the
   * search stops at the first that holds it: an instance that has not read the traces before
   * reads a segment or two, not every trace stored.
   */
  async findTrace(traceId) {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return null;
    const tx = new Transaction(this.#backend, head);
    const segments = [...await tx.listWithShas("traces")].map(([path, sha]) => ({ path, sha, task: path.split("/")[1], name: path.split("/").at(-1) })).sort((a, b) => b.name.localeCompare(a.name));
    for (const { path, sha, task } of segments) {
      const index = this.#cachedIndex("traces", task);
      let text = null;
      if (index.segments.get(path)?.sha !== sha)
        indexSegment(index, path, sha, text = await tx.read(path) ?? "");
      if (index.ids.get(traceId) !== path) continue;
      for (const line of jsonlLines(text ?? await tx.read(path) ?? "")) {
        const trace = TraceResult.parse(JSON.parse(line));
        if (trace.id === traceId) return { task, trace };
      }
    }
    return null;
  }
  async #append(kind, task, records, schema, retentionLimit) {
    const parsed = records.map((r) => schema.parse(r));
    const { result, commit } = await this.#transact(
      `Append ${parsed.length} ${kind === "feedback" ? "feedback" : "trace"} entries to ${task}`,
      async (tx) => {
        const now = this.#now();
        const state = await tx.readJson(layout.state(task), TaskState) ?? TaskState.parse({ task, created_at: now.toISOString() });
        const index = await this.#indexOf(tx, kind, task);
        const fresh = [];
        const firstInBatch = /* @__PURE__ */ new Map();
        const stored = [];
        for (const record of parsed) {
          if (index.ids.has(record.id)) stored.push({ duplicateOf: record.id });
          else if (firstInBatch.has(record.id)) stored.push(firstInBatch.get(record.id));
          else {
            firstInBatch.set(record.id, record);
            fresh.push(record);
            stored.push(record);
          }
        }
        const resolved = await this.#resolveDuplicates(tx, index, stored, schema);
        const duplicates = parsed.length - fresh.length;
        if (fresh.length === 0)
          return { records: resolved, added: 0, duplicates, evicted: 0, commit: null, state };
        const counts = kind === "feedback" ? state.feedback_segments : state.trace_segments;
        const segmentName = newSegmentName(now);
        tx.write(layout.segment(kind, task, segmentName), toJsonl(fresh));
        counts[segmentName] = fresh.length;
        let evicted = 0;
        if (retentionLimit !== null) evicted = await applyRetention(tx, kind, task, counts, retentionLimit);
        await compactSegments(tx, kind, task, counts);
        if (kind === "feedback") {
          state.feedback_total += fresh.length;
          state.feedback_since_optimization += fresh.length;
          state.feedback_retained = Object.values(counts).reduce((a, b) => a + b, 0);
        } else {
          state.traces_total += fresh.length;
        }
        tx.writeJson(layout.state(task), TaskState, state);
        return { records: resolved, added: fresh.length, duplicates, evicted, commit: null, state };
      }
    );
    return { ...result, commit };
  }
  /** Replaces each `{ duplicateOf }` by the record stored first under that id. */
  async #resolveDuplicates(tx, index, stored, schema) {
    const segmentsNeeded = new Set(
      stored.flatMap((s) => "duplicateOf" in s ? [index.ids.get(s.duplicateOf)] : [])
    );
    const found = /* @__PURE__ */ new Map();
    for (const path of segmentsNeeded) {
      for (const line of jsonlLines(await tx.read(path) ?? "")) {
        const record = schema.parse(JSON.parse(line));
        found.set(record.id, record);
      }
    }
    return stored.map((s) => "duplicateOf" in s ? found.get(s.duplicateOf) : s);
  }
  /** The ids of a task's log as this instance last read them (possibly behind the branch). */
  #cachedIndex(kind, task) {
    const key = `${kind}/${task}`;
    const index = this.#indexes.get(key) ?? { segments: /* @__PURE__ */ new Map(), ids: /* @__PURE__ */ new Map() };
    this.#indexes.set(key, index);
    return index;
  }
  /**
   * The ids in a task's log at the transaction's snapshot. Only segments not seen before are
   * read (a blob never changes), so an instance that appends repeatedly reads nothing, while
   * segments written, merged or dropped by other writers are picked up.
   */
  async #indexOf(tx, kind, task) {
    const index = this.#cachedIndex(kind, task);
    const current = await tx.listWithShas(layout.logDir(kind, task));
    for (const path of index.segments.keys()) if (!current.has(path)) forgetSegment(index, path);
    for (const [path, sha] of current)
      if (index.segments.get(path)?.sha !== sha) indexSegment(index, path, sha, await tx.read(path) ?? "");
    return index;
  }
  async *#read(kind, task, schema, options) {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return;
    const segments = [...await this.#backend.listFiles(head, layout.logDir(kind, task))].sort(
      ([a], [b]) => a.localeCompare(b)
    );
    if (options.newestFirst) segments.reverse();
    for (const [path, sha] of segments) {
      const text = await this.#backend.readBlob(sha);
      const lines = jsonlLines(text);
      const order = lines.map((_, i) => i);
      if (options.newestFirst) order.reverse();
      for (const index of order) {
        const line = lines[index];
        const lineNumber = index + 1;
        let value;
        try {
          value = JSON.parse(line);
        } catch {
          throw new KaizenError(`${this.label}: ${DATA_BRANCH}:${path}:${lineNumber}: not valid JSON`);
        }
        yield schema.parse(value);
      }
    }
  }
  // ---- task state ---------------------------------------------------------------------------
  async getTaskState(task) {
    return this.#readJsonAtHead(layout.state(task), TaskState);
  }
  updateTaskState(task, change, message = `Update state of ${task}`) {
    return this.transact(message, async (tx) => {
      const state = await tx.readJson(layout.state(task), TaskState) ?? TaskState.parse({ task, created_at: this.#now().toISOString() });
      const next = TaskState.parse(change(state));
      tx.writeJson(layout.state(task), TaskState, next);
      return next;
    });
  }
  // ---- jobs ---------------------------------------------------------------------------------
  async putJob(task, job) {
    await this.transact(
      `Record job ${job.id} of ${task} (${job.status})`,
      async (tx) => tx.writeJson(layout.job(task, job.id), Job, job)
    );
  }
  async getJob(jobId) {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return null;
    for (const [path, sha] of await this.#backend.listFiles(head, layout.jobsDir())) {
      const parsed = parseJobPath(path);
      if (parsed?.id === jobId)
        return { task: parsed.task, job: Job.parse(JSON.parse(await this.#backend.readBlob(sha))) };
    }
    return null;
  }
  async listJobs(task) {
    const jobs = await this.#readAllJson(layout.jobsDir(task), Job, (path) => parseJobPath(path) !== null);
    return jobs.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
  }
  updateJob(jobId, change, message) {
    return this.transact(message ?? `Update job ${jobId}`, async (tx) => {
      const path = (await tx.list(layout.jobsDir())).find((p) => parseJobPath(p)?.id === jobId);
      const job = path ? await tx.readJson(path, Job) : null;
      if (!path || !job) throw new NotFoundError(`job ${jobId} not found in ${this.label}`);
      const next = Job.parse(change(job));
      if (JSON.stringify(next) !== JSON.stringify(job)) tx.writeJson(path, Job, next);
      return next;
    });
  }
  // ---- prompt versions ----------------------------------------------------------------------
  async putPromptVersion(task, version) {
    await this.transact(
      `Record prompt version ${version.version_number} of ${task} (${version.status})`,
      async (tx) => tx.writeJson(layout.prompt(task, version.version_number), PromptVersion, version)
    );
  }
  async listPromptVersions(task) {
    const versions = await this.#readAllJson(layout.promptsDir(task), PromptVersion);
    return versions.sort((a, b) => b.version_number - a.version_number);
  }
  // ---- keys ---------------------------------------------------------------------------------
  async putKey(key) {
    await this.transact(
      `Add API key ${key.prefix}\u2026`,
      async (tx) => tx.writeJson(layout.key(key.id), ApiKeyRecord, key)
    );
  }
  getKey(keyId) {
    return this.#readJsonAtHead(layout.key(keyId), ApiKeyRecord);
  }
  listKeys() {
    return this.#readAllJson(layout.keysDir(), ApiKeyRecord, (path) => !path.includes("/revoked/"));
  }
  deleteKey(keyId) {
    return this.transact(`Revoke API key ${keyId}`, async (tx) => {
      if (await tx.read(layout.key(keyId)) === null) return false;
      tx.delete(layout.key(keyId));
      tx.write(
        layout.revokedKey(keyId),
        `${JSON.stringify({ id: keyId, revoked_at: this.#now().toISOString() })}
`
      );
      return true;
    });
  }
  async isKeyRevoked(keyId) {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return false;
    return (await this.#backend.listFiles(head, "keys/revoked")).has(layout.revokedKey(keyId));
  }
  // ---- reads at the data branch's head ------------------------------------------------------
  async #readJsonAtHead(path, schema) {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return null;
    const sha = (await this.#backend.listFiles(head, path.slice(0, path.lastIndexOf("/")))).get(path);
    return sha === void 0 ? null : schema.parse(JSON.parse(await this.#backend.readBlob(sha)));
  }
  async #readAllJson(dir, schema, accept = () => true) {
    const head = await this.#backend.head(DATA_BRANCH);
    if (head === null) return [];
    const files = [...await this.#backend.listFiles(head, dir)].filter(
      ([path]) => path.endsWith(".json") && accept(path)
    );
    return Promise.all(
      files.map(async ([, sha]) => schema.parse(JSON.parse(await this.#backend.readBlob(sha))))
    );
  }
  /** A branch name or a commit sha → the commit, or null when the branch does not exist. */
  async #resolve(ref) {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    return this.#backend.head(ref.replace(/^refs\/heads\//, ""));
  }
};
async function applyRetention(tx, kind, task, counts, limit) {
  let total = Object.values(counts).reduce((a, b) => a + b, 0);
  let evicted = 0;
  for (const name of Object.keys(counts).sort()) {
    if (total <= limit) break;
    const count = counts[name];
    const path = layout.segment(kind, task, name);
    if (total - count >= limit) {
      tx.delete(path);
      delete counts[name];
      total -= count;
      evicted += count;
    } else {
      const drop = total - limit;
      const lines = jsonlLines(await tx.read(path) ?? "");
      tx.write(path, lines.slice(drop).join("\n") + "\n");
      counts[name] = count - drop;
      total -= drop;
      evicted += drop;
    }
  }
  return evicted;
}
function indexSegment(index, path, sha, text) {
  forgetSegment(index, path);
  const ids = jsonlLines(text).map((line) => JSON.parse(line).id);
  index.segments.set(path, { sha, ids });
  for (const id of ids) index.ids.set(id, path);
}
function forgetSegment(index, path) {
  for (const id of index.segments.get(path)?.ids ?? []) if (index.ids.get(id) === path) index.ids.delete(id);
  index.segments.delete(path);
}
async function compactSegments(tx, kind, task, counts) {
  const names = Object.keys(counts).sort();
  if (names.length <= MAX_SEGMENTS) return;
  const candidates = names.slice(0, names.length - Math.floor(MAX_SEGMENTS / 2));
  let run = [];
  let runEntries = 0;
  const flush = async () => {
    if (run.length > 1) {
      const lines = [];
      for (const name of run)
        lines.push(...jsonlLines(await tx.read(layout.segment(kind, task, name)) ?? ""));
      for (const name of run.slice(1)) {
        tx.delete(layout.segment(kind, task, name));
        delete counts[name];
      }
      tx.write(layout.segment(kind, task, run[0]), lines.join("\n") + "\n");
      counts[run[0]] = lines.length;
    }
    run = [];
    runEntries = 0;
  };
  for (const name of candidates) {
    if (runEntries + counts[name] > SEGMENT_TARGET_ENTRIES) await flush();
    run.push(name);
    runEntries += counts[name];
  }
  await flush();
}
var Transaction = class {
  changes = /* @__PURE__ */ new Map();
  #backend;
  #head;
  #listings = /* @__PURE__ */ new Map();
  constructor(backend, head) {
    this.#backend = backend;
    this.#head = head;
  }
  /** Files below `dir` (no trailing slash; '' for the root) at the snapshot, listed once. */
  #listing(dir) {
    let listing = this.#listings.get(dir);
    if (!listing) {
      listing = this.#head === null ? Promise.resolve(/* @__PURE__ */ new Map()) : this.#backend.listFiles(this.#head, dir);
      this.#listings.set(dir, listing);
    }
    return listing;
  }
  async read(path) {
    if (this.changes.has(path)) return this.changes.get(path) ?? null;
    const sha = (await this.#listing(path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "")).get(
      path
    );
    return sha === void 0 ? null : this.#backend.readBlob(sha);
  }
  async readJson(path, schema) {
    const text = await this.read(path);
    return text === null ? null : schema.parse(JSON.parse(text));
  }
  async list(dir) {
    return [...(await this.listWithShas(dir)).keys()];
  }
  /** Files below `dir` at the snapshot with their blob shas; this transaction's writes have none. */
  async listWithShas(dir) {
    const trimmed = dir.replace(/\/$/, "");
    const prefix = trimmed === "" ? "" : `${trimmed}/`;
    const files = /* @__PURE__ */ new Map();
    for (const [path, sha] of await this.#listing(trimmed)) if (path.startsWith(prefix)) files.set(path, sha);
    for (const [path, text] of this.changes) {
      if (!path.startsWith(prefix)) continue;
      if (text === null) files.delete(path);
      else files.set(path, `pending:${path}`);
    }
    return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  }
  write(path, text) {
    this.changes.set(path, text);
  }
  writeJson(path, schema, value) {
    this.write(path, `${JSON.stringify(schema.parse(value), null, 2)}
`);
  }
  delete(path) {
    this.changes.set(path, null);
  }
};

export {
  RefConflictError,
  ProtectedBranchError,
  UnsafeGitNameError,
  SymlinkRefusedError,
  assertSafeGitPath,
  assertSafeRefName,
  assertSafeGitDir,
  pathPrefixes,
  Score,
  Task,
  FeedbackInput,
  FeedbackResult,
  PromptVersion,
  Job,
  CostEstimate,
  OptimizeResult,
  TraceResult,
  TraceInput,
  TaskState,
  RepoStore
};
