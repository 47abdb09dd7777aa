import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  isDue
} from "./chunk-RWCDTPBP.js";
import {
  DispatchError,
  GitHubStoreError,
  JobAlreadyEndedError,
  JobPreconditionError,
  ShipError,
  activateVersion,
  cancelJob,
  isInFlight,
  retryShip,
  startJob,
  versionsIn
} from "./chunk-ZA56Q3X5.js";
import {
  BudgetTooSmallError,
  DEFAULT_PLAN,
  TOKEN_SAMPLE,
  estimateRun,
  fitToBudget,
  isUsable,
  judgeRubric,
  pricesForRun,
  splitSizes,
  toCostEstimate,
  tokenMeans,
  usesJudge
} from "./chunk-APVKA7BG.js";
import {
  UnknownModelPriceError,
  modelPricesYaml,
  modelsOf
} from "./chunk-EHX4BM5X.js";
import {
  newId,
  taskId,
  v5_default
} from "./chunk-H57QFYJN.js";
import {
  loadTasks
} from "./chunk-A3WLGUKI.js";
import {
  CostEstimate,
  FeedbackInput,
  FeedbackResult,
  Job,
  OptimizeResult,
  PromptVersion,
  ProtectedBranchError,
  Score,
  SymlinkRefusedError,
  Task,
  TraceInput,
  TraceResult,
  UnsafeGitNameError
} from "./chunk-U323PJSG.js";
import {
  TASKS_DIR,
  TASK_CONFIG_ALIASES,
  TaskConfig,
  describeIssue,
  external_exports,
  layout,
  require_dist,
  unknownTaskKeys
} from "./chunk-IM6PW7XL.js";
import {
  ConfigError,
  IllegalTransitionError,
  KaizenError,
  NotFoundError,
  ValidationError,
  __toESM
} from "./chunk-4CXYVOQZ.js";

// src/app/auth/api-keys.ts
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
var KEY_PATTERN = /^kz_([A-Za-z0-9-]+)_([0-9a-f]{32})_([A-Za-z0-9_-]{20,})$/;
function hashKey(key) {
  return createHash("sha256").update(key).digest("hex");
}
function createApiKey(repoKey, repoFullName, createdBy, now = /* @__PURE__ */ new Date()) {
  const id = newId();
  const key = `kz_${repoKey}_${id.replace(/-/g, "")}_${randomBytes(32).toString("base64url")}`;
  return {
    key,
    record: {
      id,
      repo: repoFullName,
      prefix: keyPrefix(key),
      hash: hashKey(key),
      created_at: now.toISOString(),
      created_by: createdBy
    }
  };
}
function keyPrefix(key) {
  const secretStart = key.indexOf("_", key.indexOf("_", key.indexOf("_") + 1) + 1) + 1;
  return key.slice(0, secretStart + 4);
}
function parseApiKey(key) {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const hex = match[2];
  return {
    repoKey: match[1],
    keyId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  };
}
function keyMatches(key, record) {
  const given = Buffer.from(hashKey(key), "hex");
  const stored = Buffer.from(record.hash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

// src/app/api/json-limits.ts
var MAX_JSON_DEPTH = 32;
var MAX_FREE_FORM_BYTES = 512 * 1024;
var ENVELOPE_KEYS = /* @__PURE__ */ new Set(["feedback", "traces"]);
function fieldLocation(path) {
  const field = path.findIndex((p) => typeof p === "string" && !ENVELOPE_KEYS.has(p));
  return ["body", ...field === -1 ? path : path.slice(0, field + 1)];
}
function checkJsonLimits(body) {
  const stack = [{ value: body, path: [] }];
  const errors2 = [];
  const reported = /* @__PURE__ */ new Set();
  while (stack.length > 0) {
    const { value, path } = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      const loc = fieldLocation(path);
      const key = JSON.stringify(loc);
      if (!reported.has(key)) {
        reported.add(key);
        errors2.push({
          loc,
          msg: `nests deeper than ${MAX_JSON_DEPTH} levels (the limit for free-form JSON); flatten it`,
          type: "too_deep"
        });
      }
      continue;
    }
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else
      for (const [key, item] of Object.entries(value))
        stack.push({ value: item, path: [...path, key] });
  }
  if (errors2.length > 0) throw new HttpError(422, errors2);
  checkFieldSizes(body, []);
}
function checkFieldSizes(body, path) {
  const errors2 = [];
  const visitEntry = (entry, at) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) return;
    for (const [key, value] of Object.entries(entry)) {
      if (ENVELOPE_KEYS.has(key) && Array.isArray(value)) {
        value.forEach((item, i) => visitEntry(item, [...at, key, i]));
        continue;
      }
      if (value === null || typeof value !== "object") continue;
      const bytes = Buffer.byteLength(JSON.stringify(value));
      if (bytes > MAX_FREE_FORM_BYTES)
        errors2.push({
          loc: ["body", ...at, key],
          msg: `is ${bytes} bytes of JSON, over the limit of ${MAX_FREE_FORM_BYTES} bytes for one field`,
          type: "too_long"
        });
    }
  };
  if (Array.isArray(body)) body.forEach((item, i) => visitEntry(item, [...path, i]));
  else visitEntry(body, path);
  if (errors2.length > 0) throw new HttpError(422, errors2);
}

// src/app/api/http.ts
var HttpError = class extends Error {
  constructor(status, detail, headers = {}) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
  status;
  detail;
  headers;
};
function parseRequestTarget(target) {
  try {
    return new URL(target ?? "/", "http://kaizen");
  } catch {
    throw new HttpError(400, `the request target ${JSON.stringify(target)} is not a valid URL path`);
  }
}
function decodePathSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `the path segment "${segment}" has a malformed percent-escape`);
  }
}
async function readJsonBody(req, limit) {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, `request body of ${declared} bytes is over the limit of ${limit} bytes`);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, `request body is over the limit of ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  if (size === 0) return void 0;
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(422, [
      { loc: ["body"], msg: `body is not valid JSON: ${error.message}`, type: "json_invalid" }
    ]);
  }
  checkJsonLimits(body);
  return body;
}
function sendJson(res, status, body, headers = {}) {
  const text = body === void 0 ? "" : JSON.stringify(body);
  res.writeHead(status, { ...text ? { "content-type": "application/json" } : {}, ...headers });
  res.end(text);
}

// src/app/tasks.ts
var TASK_CACHE_MS = 5e3;
var taskCache = /* @__PURE__ */ new WeakMap();
async function listTaskConfigs(ctx) {
  const cached2 = taskCache.get(ctx);
  if (cached2 && cached2.until > Date.now()) return cached2.tasks;
  const tasks = loadTasks(ctx.store).then((loaded) => loaded.tasks);
  taskCache.set(ctx, { until: Date.now() + TASK_CACHE_MS, tasks });
  tasks.catch(() => taskCache.delete(ctx));
  return tasks;
}
function forgetTasks(ctx) {
  taskCache.delete(ctx);
}
async function resolveTask(ctx, idOrName) {
  const tasks = await listTaskConfigs(ctx);
  const found = tasks.find(
    (t) => t.name === idOrName || taskId(ctx.repoKey, t.name) === idOrName.toLowerCase()
  );
  if (!found) throw new HttpError(404, `task ${idOrName} not found`);
  return found;
}
async function taskView(ctx, config) {
  const state = await ctx.store.getTaskState(config.name);
  const active = (await ctx.store.listPromptVersions(config.name)).find((v) => v.status === "active");
  const since = state?.feedback_since_optimization ?? 0;
  return Task.parse({
    ...config,
    id: taskId(ctx.repoKey, config.name),
    // Until Kaizen stores anything for a task, it has no creation time of its own.
    created_at: state?.created_at ?? (/* @__PURE__ */ new Date()).toISOString(),
    feedback_count: state?.feedback_retained ?? 0,
    last_optimization: state?.last_optimization ?? null,
    active_prompt_score: active?.eval_score ?? null,
    threshold_progress: `${since}/${config.feedback_threshold}`
  });
}
async function ensureVersions(ctx, config) {
  await ctx.reconcile?.(config.name);
  const versions = await ctx.store.listPromptVersions(config.name);
  if (versions.length > 0 || config.prompt_path === null) return versions;
  const text = await ctx.store.readRepoFile(config.prompt_path);
  if (text === null) return versions;
  return ctx.store.transact(`Record the baseline prompt of ${config.name}`, async (tx) => {
    if ((await tx.list(layout.promptsDir(config.name))).length === 0)
      tx.writeJson(
        layout.prompt(config.name, 1),
        PromptVersion,
        baselineVersion(ctx, config.name, text)
      );
    return (await versionsIn(tx, config.name)).reverse();
  });
}
function baselineVersion(ctx, task, text) {
  return {
    id: newId(),
    task_id: taskId(ctx.repoKey, task),
    version_number: 1,
    prompt_text: text,
    eval_score: null,
    status: "active",
    optimizer: null,
    dspy_version: null,
    created_at: (/* @__PURE__ */ new Date()).toISOString(),
    job_id: null
  };
}

// src/app/jobs.ts
async function startJob2(ctx, task, triggeredBy, onCreated) {
  const outcome = await startJob(ctx.store, ctx.dispatcher, {
    repoKey: ctx.repoKey,
    task,
    triggeredBy,
    onCreated
  }).catch((error) => {
    if (error instanceof JobPreconditionError) throw new HttpError(422, error.message);
    if (error instanceof DispatchError)
      throw new HttpError(502, `job ${error.job.id} is FAILED: ${error.message}`);
    throw error;
  });
  return outcome.created ? { started: true, job: outcome.job } : { started: false, inFlight: outcome.inFlight };
}
async function retryPullRequest(ctx, jobId) {
  if (!ctx.shipper) {
    const found = await ctx.store.getJob(jobId);
    if (!found) throw new HttpError(404, `job ${jobId} not found`);
    if (found.job.status !== "PR_FAILED")
      throw new HttpError(
        409,
        `job ${jobId} is ${found.job.status}; only a PR_FAILED job can retry its pull request`
      );
    throw new HttpError(
      409,
      `this server has no GitHub connection, so it cannot open pull requests (kaizen serve keeps results on the kaizen/${found.task} branch); retry from the GitHub App, or push that branch and open the pull request yourself`
    );
  }
  try {
    return await retryShip(ctx.store, ctx.shipper, jobId);
  } catch (error) {
    if (error instanceof NotFoundError) throw new HttpError(404, error.message);
    if (error instanceof IllegalTransitionError)
      throw new HttpError(
        409,
        `job ${jobId} is ${error.from}; only a PR_FAILED job can retry its pull request`
      );
    if (error instanceof ShipError)
      throw new HttpError(502, `GitHub refused the pull request again: ${error.message}`);
    throw error;
  }
}

// src/app/api/handler.ts
import { randomUUID } from "node:crypto";

// src/app/idempotency.ts
import { createHash as createHash2 } from "node:crypto";
var IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1e3;
var StoredResponse = external_exports.object({
  route: external_exports.string(),
  status: external_exports.number().int(),
  body: external_exports.unknown(),
  created_at: external_exports.string()
});
function hashOf(route, key) {
  return createHash2("sha256").update(`${route}
${key}`).digest("hex");
}
function hourOf(at) {
  return at.toISOString().slice(0, 13).replace(/[-T]/g, "");
}
function findRecord(files, hash) {
  return files.find((file) => file.endsWith(`/${hash}.json`));
}
async function recall(store, route, key, now = Date.now()) {
  const stored = await store.transact("read idempotency record", async (tx) => {
    const path = findRecord(await tx.list(layout.idempotencyDir()), hashOf(route, key));
    return path ? tx.readJson(path, StoredResponse) : null;
  });
  if (!stored || now - Date.parse(stored.created_at) > IDEMPOTENCY_WINDOW_MS) return null;
  return stored;
}
async function remember(store, route, key, status, body, now = /* @__PURE__ */ new Date()) {
  await store.transact(`Remember the response to Idempotency-Key for ${route}`, async (tx) => {
    const files = await tx.list(layout.idempotencyDir());
    const oldestKept = hourOf(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS - 36e5));
    for (const file of files) {
      const hour = file.split("/")[1] ?? "";
      if (!/^\d{10}$/.test(hour) || hour < oldestKept) tx.delete(file);
    }
    tx.writeJson(layout.idempotency(hourOf(now), hashOf(route, key)), StoredResponse, {
      route,
      status,
      body,
      created_at: now.toISOString()
    });
  });
}
var Coalescer = class {
  #inFlight = /* @__PURE__ */ new Map();
  run(key, work) {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
};

// src/app/api/context.ts
var BODY_LIMIT = 1024 * 1024;
var BATCH_BODY_LIMIT = 10 * 1024 * 1024;

// src/app/api/entry-ids.ts
var ENTRY_NAMESPACE = "5b0e6c1e-3f57-5a0b-9c64-7d2f8e4a1b93";
function idempotencyKeyOf(req) {
  const header = req.headers["idempotency-key"];
  return (Array.isArray(header) ? header[0] : header) || void 0;
}
function entryId(req, clientId, index) {
  if (clientId) return clientId;
  const key = idempotencyKeyOf(req);
  return key ? v5_default(`${req.method} ${req.path}
${key}
${index}`, ENTRY_NAMESPACE) : newId();
}
function replayedHeader(req, added) {
  return idempotencyKeyOf(req) && added === 0 ? { "idempotent-replayed": "true" } : {};
}

// src/app/api/config-errors.ts
function configErrorResponse(error) {
  if (!(error instanceof ConfigError)) return null;
  const issues = error.issues.filter((i) => i.severity === "error");
  return {
    status: 422,
    body: {
      detail: (issues.length > 0 ? issues : error.issues).map((i) => ({
        loc: ["task_file", i.file, ...i.field.split(".")],
        msg: `${i.file}:${i.line}: ${i.field}: ${i.message}`,
        type: "config_error"
      }))
    }
  };
}
function fieldOf(error) {
  if (error instanceof UnknownModelPriceError) return "model_prices";
  if (error instanceof BudgetTooSmallError) return "cost_budget";
  const field = error?.field;
  return typeof field === "string" ? field : "(task)";
}
async function fromTaskConfig(task, work) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const config = configErrorResponse(error);
    if (config) throw new HttpError(config.status, config.body.detail);
    if (!(error instanceof KaizenError) || error.name === "GitCommandError" || /Store/.test(error.name))
      throw error;
    const file = `${TASKS_DIR}/${task.name}.yml`;
    const field = fieldOf(error);
    throw new HttpError(422, [
      {
        loc: ["task_file", file, field],
        msg: `${file}: ${field}: ${error.message}`,
        type: "config_error"
      }
    ]);
  }
}

// src/app/api/openapi.ts
var Detail = external_exports.object({
  detail: external_exports.unknown().describe("What went wrong: a message, or a list of { loc, msg, type } for invalid fields")
});
var page = {
  limit: { description: "How many (default 50, at most 200)", type: "integer" },
  offset: { description: "How many to skip", type: "integer" }
};
var errors = (...codes) => Object.fromEntries(codes.map((c) => [c, { description: ERROR_TEXT[c], schema: Detail }]));
var ERROR_TEXT = {
  401: "Missing or invalid credentials",
  404: "Not found (or outside the key's repository)",
  400: "Malformed request target or path",
  409: "Conflict",
  413: "Body over the size limit",
  422: "Invalid input (every bad field with its path), or a task file the request cannot use (its file and field)",
  429: "Ingestion queue full: retry after Retry-After seconds",
  502: "GitHub refused the pull request again"
};
var Batch = (item, key) => external_exports.union([external_exports.array(item), external_exports.object({ [key]: external_exports.array(item) })]);
var OPERATIONS = [
  {
    method: "GET",
    path: "/api/v1/tasks",
    summary: "List tasks",
    auth: "apiKey",
    responses: { 200: { description: "The repository's tasks", schema: external_exports.array(Task) }, ...errors(401) }
  },
  {
    method: "POST",
    path: "/api/v1/tasks",
    summary: "Create a task (a commit of .kaizen/tasks/<name>.yml, or a pull request when the branch is protected)",
    auth: "apiKey",
    body: TaskConfig.extend({ prompt: external_exports.string().optional() }),
    responses: {
      201: { description: "Created", schema: Task },
      202: { description: "Proposed as a pull request", schema: Task },
      ...errors(401, 409, 422)
    }
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}",
    summary: "Get a task by id or name",
    auth: "apiKey",
    responses: { 200: { description: "The task", schema: Task }, ...errors(401, 404) }
  },
  {
    method: "POST",
    path: "/api/v1/feedback",
    summary: "Log feedback (acknowledged once committed)",
    auth: "apiKey",
    body: FeedbackInput,
    responses: { 201: { description: "Stored", schema: FeedbackResult }, ...errors(401, 404, 413, 422, 429) }
  },
  {
    method: "POST",
    path: "/api/v1/feedback/batch",
    summary: "Log up to 1,000 feedback entries, all or none",
    auth: "apiKey",
    body: Batch(FeedbackInput, "feedback"),
    responses: {
      201: {
        description: "Stored",
        schema: external_exports.object({ feedback: external_exports.array(FeedbackResult), added: external_exports.number(), duplicates: external_exports.number() })
      },
      ...errors(401, 413, 422, 429)
    }
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/feedback",
    summary: "List a task's feedback, newest first",
    auth: "apiKey",
    query: page,
    responses: {
      200: { description: "Feedback", schema: external_exports.array(FeedbackResult) },
      ...errors(401, 404, 422)
    }
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/prompt",
    summary: "The active prompt (ETag, 304 when unchanged)",
    auth: "apiKey",
    responses: {
      200: { description: "The active version", schema: PromptVersion },
      304: { description: "Not modified" },
      ...errors(401, 404)
    }
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/prompts",
    summary: "Every prompt version, newest first",
    auth: "apiKey",
    responses: { 200: { description: "Versions", schema: external_exports.array(PromptVersion) }, ...errors(401, 404) }
  },
  {
    method: "POST",
    path: "/api/v1/tasks/{task}/prompts/{version_id}/activate",
    summary: "Make a version active",
    auth: "apiKey",
    responses: { 200: { description: "The activated version", schema: PromptVersion }, ...errors(401, 404) }
  },
  {
    method: "POST",
    path: "/api/v1/tasks/{task}/optimize",
    summary: "Start an optimization (one job in flight per task)",
    auth: "apiKey",
    responses: {
      202: { description: "A PENDING job and its cost estimate", schema: OptimizeResult },
      ...errors(401, 404, 409, 422),
      502: {
        description: "GitHub refused to start the Kaizen workflow; the job is FAILED and the detail names the workflow file and .kaizen/config.yml",
        schema: Detail
      }
    }
  },
  {
    method: "GET",
    path: "/api/v1/jobs",
    summary: "List jobs, newest first",
    auth: "apiKey",
    query: { task_id: { description: "Only this task's jobs (id or name)", type: "string" }, ...page },
    responses: { 200: { description: "Jobs", schema: external_exports.array(Job) }, ...errors(401, 422) }
  },
  {
    method: "GET",
    path: "/api/v1/jobs/{job_id}",
    summary: "Get a job",
    auth: "apiKey",
    responses: { 200: { description: "The job", schema: Job }, ...errors(401, 404) }
  },
  {
    method: "POST",
    path: "/api/v1/jobs/{job_id}/retry-pr",
    summary: "Re-open the pull request of a PR_FAILED job",
    auth: "apiKey",
    responses: { 200: { description: "The job, now SUCCESS", schema: Job }, ...errors(401, 404, 409, 502) }
  },
  {
    method: "POST",
    path: "/api/v1/jobs/{job_id}/cancel",
    summary: `Cancel a job not yet finished: it ends FAILED, "cancelled by" the key's prefix`,
    auth: "apiKey",
    responses: { 200: { description: "The job, now FAILED", schema: Job }, ...errors(401, 404, 409) }
  },
  {
    method: "POST",
    path: "/api/v1/traces",
    summary: "Record traces of LLM calls (one, a list, or { traces: [...] })",
    auth: "apiKey",
    body: external_exports.union([TraceInput, Batch(TraceInput, "traces")]),
    responses: {
      201: {
        description: "Stored",
        schema: external_exports.union([TraceResult, external_exports.object({ traces: external_exports.array(TraceResult) })])
      },
      ...errors(401, 413, 422, 429)
    }
  },
  {
    method: "POST",
    path: "/api/v1/traces/{trace_id}/score",
    summary: "Score a trace; it becomes feedback of its task",
    auth: "apiKey",
    body: external_exports.object({ score: external_exports.number().min(0).max(1), scored_by: external_exports.string().optional() }),
    responses: { 200: { description: "The scored trace", schema: TraceResult }, ...errors(401, 404, 422) }
  },
  {
    method: "POST",
    path: "/api/v1/keys",
    summary: "Create an API key (shown once); Authorization: Bearer <a repository admin's GitHub token>",
    auth: "githubToken",
    body: external_exports.object({ repo: external_exports.string().optional() }),
    responses: {
      201: {
        description: "The new key",
        schema: external_exports.object({
          id: external_exports.string(),
          key: external_exports.string(),
          prefix: external_exports.string(),
          repo: external_exports.string(),
          created_at: external_exports.string()
        })
      },
      ...errors(401, 404, 422)
    }
  },
  {
    method: "DELETE",
    path: "/api/v1/keys/{key_id}",
    summary: "Revoke an API key",
    auth: "githubToken",
    responses: { 204: { description: "Revoked" }, ...errors(401, 404) }
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    summary: "This document",
    auth: "none",
    responses: { 200: { description: "OpenAPI 3.1" } }
  },
  {
    method: "GET",
    path: "/healthz",
    summary: "Liveness",
    auth: "none",
    responses: { 200: { description: "ok", schema: external_exports.object({ status: external_exports.literal("ok") }) } }
  },
  {
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics (text)",
    auth: "none",
    responses: { 200: { description: "Metrics in Prometheus text format" } }
  }
];
var NAMED = [
  ["Error", Detail],
  ["Task", Task],
  ["FeedbackResult", FeedbackResult],
  ["Prompt", PromptVersion],
  ["Job", Job],
  ["OptimizeResult", OptimizeResult],
  ["CostEstimate", CostEstimate],
  ["TraceResult", TraceResult]
];
var cached = null;
function openApiDocument() {
  if (cached) return cached;
  const outputs = external_exports.registry();
  const inputs = external_exports.registry();
  for (const [id, schema] of NAMED) outputs.add(schema, { id });
  const idOf = (op, suffix) => `${op.method.toLowerCase()}${op.path.replace(/\/api\/v1/, "").replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => (c ?? "").toUpperCase())}${suffix}`;
  const ref = (id) => ({ $ref: `#/components/schemas/${id}` });
  const named = new Map(NAMED.map(([id, schema]) => [schema, id]));
  const paths = {};
  for (const op of OPERATIONS) {
    const responses = {};
    for (const [status, r] of Object.entries(op.responses)) {
      let content = {};
      if (r.schema) {
        const id = named.get(r.schema) ?? idOf(op, `Response${status}`);
        if (!named.has(r.schema) && !outputs.has(r.schema)) outputs.add(r.schema, { id });
        content = {
          content: {
            "application/json": { schema: ref(named.get(r.schema) ?? outputs.get(r.schema)?.id) }
          }
        };
      }
      responses[status] = { description: r.description, ...content };
    }
    let requestBody = {};
    if (op.body) {
      const id = idOf(op, "Body");
      inputs.add(op.body, { id });
      requestBody = { requestBody: { required: true, content: { "application/json": { schema: ref(id) } } } };
    }
    const parameters = [
      ...[...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" }
      })),
      ...Object.entries(op.query ?? {}).map(([name, q]) => ({
        name,
        in: "query",
        required: false,
        description: q.description,
        schema: { type: q.type }
      }))
    ];
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      summary: op.summary,
      operationId: idOf(op, ""),
      security: op.auth === "apiKey" ? [{ apiKey: [] }] : op.auth === "githubToken" ? [{ githubToken: [] }] : [],
      ...parameters.length ? { parameters } : {},
      ...requestBody,
      responses
    };
  }
  const uri = (id) => `#/components/schemas/${id}`;
  const schemas = {
    ...external_exports.toJSONSchema(outputs, { io: "output", unrepresentable: "any", uri }).schemas,
    ...external_exports.toJSONSchema(inputs, { io: "input", unrepresentable: "any", uri }).schemas
  };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Kaizen API",
      version: "1.0.0",
      description: "Continuous prompt tuning, native to GitHub: tasks, feedback, prompts, optimization jobs and traces."
    },
    servers: [{ url: "http://localhost:8000" }],
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, stripMeta(schema)])),
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        githubToken: { type: "http", scheme: "bearer", description: "A GitHub token of a repository admin" }
      }
    },
    paths
  };
  return cached;
}
function stripMeta(schema) {
  const { $schema: _schema, ...rest } = schema;
  return rest;
}

// src/app/api/router.ts
var Router = class {
  #routes = [];
  add(method, template, handler, options = {}) {
    const names = [];
    const source = template.replace(/\{([^}]+)\}/g, (_, name) => {
      names.push(name);
      return "([^/]+)";
    });
    this.#routes.push({ method, template, handler, ...options, pattern: new RegExp(`^${source}/?$`), names });
    return this;
  }
  /** Every route, for the OpenAPI document and its drift test. */
  get routes() {
    return this.#routes;
  }
  /** The route for a request; `allowed` lists the methods of a path that exists with another method. */
  match(method, path) {
    const allowed = [];
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params = {};
      route.names.forEach((name, i) => params[name] = decodePathSegment(found[i + 1]));
      return { route, params };
    }
    return { route: null, allowed };
  }
};

// src/app/api/validation.ts
function parseWith(schema, value, location = ["body"]) {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(422, fieldErrors(result.error, value, location));
}
function fieldErrors(error, value, location) {
  return error.issues.map((issue) => ({
    loc: [...location, ...issue.path.map((p) => typeof p === "number" ? p : String(p))],
    msg: describeIssue(issue, value).message,
    type: issue.code
  }));
}
function intQuery(query, name, fallback, min, max) {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(422, [
      {
        loc: ["query", name],
        msg: `must be an integer from ${min} to ${max}, got "${raw}"`,
        type: "int_parsing"
      }
    ]);
  }
  return value;
}

// src/app/api/routes/feedback.ts
var MAX_BATCH = 1e3;
function toRecord(repo, task, input, id, now) {
  return FeedbackResult.parse({
    ...input,
    id,
    task_id: taskId(repo.repoKey, task.name),
    created_at: now.toISOString()
  });
}
function registerFeedbackRoutes(router) {
  router.add(
    "POST",
    "/api/v1/feedback",
    async (req, { repo }) => {
      const input = parseWith(FeedbackInput, await req.json());
      const task = await resolveTask(repo, input.task_id);
      const result = await repo.ingestion.addFeedback(
        task.name,
        [toRecord(repo, task, input, entryId(req, input.id, 0), /* @__PURE__ */ new Date())],
        task.feedback_retention_limit
      );
      return { status: 201, body: result.records[0], headers: replayedHeader(req, result.added) };
    },
    { idempotentByIds: true }
  );
  router.add(
    "POST",
    "/api/v1/feedback/batch",
    async (req, { repo }) => {
      const body = await req.json();
      const entries = Array.isArray(body) ? body : body?.feedback;
      if (!Array.isArray(entries))
        throw new HttpError(422, [
          {
            loc: ["body", "feedback"],
            msg: "expected a list of feedback entries (or a bare JSON list)",
            type: "list_type"
          }
        ]);
      if (entries.length === 0 || entries.length > MAX_BATCH)
        throw new HttpError(422, [
          {
            loc: ["body", "feedback"],
            msg: `a batch holds 1 to ${MAX_BATCH} entries, got ${entries.length}`,
            type: "too_long"
          }
        ]);
      const tasks = await listTaskConfigs(repo);
      const errors2 = [];
      const valid = [];
      entries.forEach((entry, index) => {
        const parsed = FeedbackInput.safeParse(entry);
        if (!parsed.success)
          return void errors2.push(...fieldErrors(parsed.error, entry, ["body", "feedback", index]));
        const task = tasks.find(
          (t) => t.name === parsed.data.task_id || taskId(repo.repoKey, t.name) === parsed.data.task_id
        );
        if (!task)
          return void errors2.push({
            loc: ["body", "feedback", index, "task_id"],
            msg: `task ${parsed.data.task_id} not found`,
            type: "value_error"
          });
        valid.push({ task, input: parsed.data, index });
      });
      if (errors2.length > 0) throw new HttpError(422, errors2);
      const now = /* @__PURE__ */ new Date();
      const byTask = /* @__PURE__ */ new Map();
      for (const { task, input, index } of valid) {
        const group = byTask.get(task.name) ?? { task, records: [] };
        group.records.push(toRecord(repo, task, input, entryId(req, input.id, index), now));
        byTask.set(task.name, group);
      }
      const results = await Promise.all(
        [...byTask.values()].map(
          (g) => repo.ingestion.addFeedback(g.task.name, g.records, g.task.feedback_retention_limit)
        )
      );
      const stored = new Map(results.flatMap((r) => r.records.map((rec) => [rec.id, rec])));
      const records = [...byTask.values()].flatMap((g) => g.records).map((r) => stored.get(r.id) ?? r);
      const added = results.reduce((s, r) => s + r.added, 0);
      return {
        status: 201,
        body: { feedback: records, added, duplicates: results.reduce((s, r) => s + r.duplicates, 0) },
        headers: replayedHeader(req, added)
      };
    },
    { idempotentByIds: true }
  );
  router.add("GET", "/api/v1/tasks/{task}/feedback", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task);
    const limit = intQuery(req.query, "limit", 50, 1, 200);
    const offset = intQuery(req.query, "offset", 0, 0, 1e7);
    const page2 = [];
    let seen = 0;
    for await (const record of repo.store.readFeedback(task.name, { newestFirst: true })) {
      if (seen++ >= offset) page2.push(record);
      if (page2.length === limit) break;
    }
    return { status: 200, body: page2 };
  });
}

// src/app/api/routes/job-cancel.ts
function registerJobCancelRoute(router) {
  router.add("POST", "/api/v1/jobs/{job_id}/cancel", async (req, { repo, key }) => {
    try {
      const by = `API key ${key.prefix.replace(/…$/, "")}\u2026`;
      const job = await cancelJob(repo.store, req.params.job_id, by);
      return { status: 200, body: job };
    } catch (error) {
      if (error instanceof NotFoundError) throw new HttpError(404, error.message);
      if (error instanceof JobAlreadyEndedError) throw new HttpError(409, error.message);
      throw error;
    }
  });
}

// src/app/estimate.ts
async function feedbackSample(store, task) {
  const read = [];
  for await (const entry of store.readFeedback(task, { newestFirst: true })) {
    read.push(entry);
    if (read.length >= TOKEN_SAMPLE) break;
  }
  const sample = read.filter(isUsable);
  const retained = (await store.getTaskState(task))?.feedback_retained ?? read.length;
  const usable = read.length < TOKEN_SAMPLE || retained <= read.length ? sample.length : Math.round(retained * sample.length / read.length);
  return { usable, sample };
}
async function estimateTask(store, config, template, baseURL = process.env.OPENAI_BASE_URL) {
  const models = modelsOf(config);
  const { prices, unknown } = pricesForRun(config, models, baseURL);
  if (unknown.length > 0) {
    const file = `.kaizen/tasks/${config.name}.yml`;
    throw new HttpError(422, [
      {
        loc: ["task_file", file, "model_prices"],
        msg: `no price known for ${unknown.map((m) => `"${m}"`).join(", ")} (not in the price catalogue, and not served from a local or private address): set the field model_prices in ${file} (USD per million tokens, from your provider's price list), e.g.
${modelPricesYaml(unknown)}`,
        type: "unknown_model_price"
      }
    ]);
  }
  const { usable, sample } = await feedbackSample(store, config.name);
  const tokens = tokenMeans(template, sample, {
    description: config.description,
    rubric: judgeRubric(config)
  });
  const sizes = splitSizes(usable);
  const plan = { ...DEFAULT_PLAN, usesJudge: usesJudge(config) };
  const full = estimateRun(sizes, tokens, models, prices, plan);
  let estimate = full;
  let budgetWarning = null;
  if (config.cost_budget !== null && full.usd > config.cost_budget) {
    try {
      estimate = fitToBudget(sizes, tokens, models, prices, config.cost_budget, plan);
      budgetWarning = `the full plan is estimated at $${full.usd.toFixed(4)}, over the cost_budget of $${config.cost_budget.toFixed(2)}: the run is cut to ${estimate.plan.iterations} iterations ($${estimate.usd.toFixed(4)})`;
    } catch (error) {
      budgetWarning = error.message;
    }
  }
  return { estimate, record: toCostEstimate(estimate, models), usable, budgetWarning };
}

// src/app/api/routes/jobs.ts
function registerJobRoutes(router) {
  const attempts = /* @__PURE__ */ new Map();
  router.add("POST", "/api/v1/tasks/{task}/optimize", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task);
    const key = `${repo.repoKey}
${task.name}`;
    const running = attempts.get(key);
    if (running) throw attemptUnderWayError(task.name, running);
    const attempt = { job: null };
    attempts.set(key, attempt);
    try {
      return await optimize(repo, task, (job) => attempt.job = job);
    } finally {
      attempts.delete(key);
    }
  });
  router.add("GET", "/api/v1/jobs", async (req, { repo }) => {
    const limit = intQuery(req.query, "limit", 50, 1, 200);
    const offset = intQuery(req.query, "offset", 0, 0, 1e6);
    const filter = req.query.get("task_id");
    let task;
    if (filter) {
      const found = (await listTaskConfigs(repo)).find(
        (t) => t.name === filter || taskId(repo.repoKey, t.name) === filter
      );
      if (!found) return { status: 200, body: [] };
      task = found.name;
    }
    const jobs = await repo.store.listJobs(task);
    return { status: 200, body: jobs.slice(offset, offset + limit) };
  });
  router.add("GET", "/api/v1/jobs/{job_id}", async (req, { repo }) => {
    const found = await repo.store.getJob(req.params.job_id);
    if (!found) throw new HttpError(404, `job ${req.params.job_id} not found`);
    return { status: 200, body: found.job };
  });
  router.add("POST", "/api/v1/jobs/{job_id}/retry-pr", async (req, { repo }) => ({
    status: 200,
    body: await retryPullRequest(repo, req.params.job_id)
  }));
}
async function optimize(repo, task, onCreated) {
  const inFlight = (await repo.store.listJobs(task.name)).find((job) => isInFlight(job.status));
  if (inFlight) throw inFlightError(task.name, inFlight);
  const active = (await ensureVersions(repo, task)).find((v) => v.status === "active");
  const { record, budgetWarning } = await fromTaskConfig(
    task,
    () => estimateTask(repo.store, task, active?.prompt_text ?? "")
  );
  const outcome = await startJob2(repo, task.name, "api_on_demand", onCreated);
  if (!outcome.started) throw inFlightError(task.name, outcome.inFlight);
  return {
    status: 202,
    body: OptimizeResult.parse({ job: outcome.job, cost_estimate: record, budget_warning: budgetWarning })
  };
}
var ATTEMPT_RETRY_AFTER_S = 5;
function attemptUnderWayError(task, attempt) {
  const where = attempt.job ? `job ${attempt.job.id} was created and is being dispatched` : "no job written yet: its cost estimate is being computed";
  return new HttpError(
    409,
    `an optimization of task ${task} is being started on this server (${where}); retry after ${ATTEMPT_RETRY_AFTER_S} s to see its job, or wait for it to finish`,
    { "retry-after": String(ATTEMPT_RETRY_AFTER_S) }
  );
}
function inFlightError(task, job) {
  return new HttpError(
    409,
    `task ${task} already has job ${job.id} in flight (${job.status}); wait for it to finish`
  );
}

// src/app/api/routes/keys.ts
var CreateKey = external_exports.object({
  repo: external_exports.string().regex(/^[^/\s]+\/[^/\s]+$/, "must be owner/name").optional()
});
function bearerOf(header) {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)$/i.exec(value ?? "");
  return match ? match[1] : null;
}
function registerKeyRoutes(router, admin, invalidateKey) {
  router.add("POST", "/api/v1/keys", async (req) => {
    const input = parseWith(CreateKey, await req.json() ?? {});
    const { repo, login } = await admin.check(bearerOf(req.headers.authorization), input.repo ?? null);
    const { key, record } = createApiKey(repo.repoKey, repo.fullName, login);
    await repo.store.putKey(record);
    return {
      status: 201,
      body: { ...record, hash: void 0, key, detail: "store this key now: it is shown only once" }
    };
  });
  router.add("DELETE", "/api/v1/keys/{key_id}", async (req) => {
    const { repo } = await admin.check(bearerOf(req.headers.authorization), req.query.get("repo"));
    if (!await repo.store.deleteKey(req.params.key_id))
      throw new HttpError(404, `key ${req.params.key_id} not found`);
    invalidateKey(req.params.key_id);
    return { status: 204 };
  });
}

// src/app/api/routes/prompts.ts
function registerPromptRoutes(router) {
  router.add("GET", "/api/v1/tasks/{task}/prompt", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task);
    const active = (await ensureVersions(repo, task)).find((v) => v.status === "active");
    if (!active)
      throw new HttpError(
        404,
        `task ${task.name} has no active prompt yet: set prompt_path to a file that exists`
      );
    return { status: 200, body: active, headers: { etag: `"${active.id}"` } };
  });
  router.add("GET", "/api/v1/tasks/{task}/prompts", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task);
    return { status: 200, body: await ensureVersions(repo, task) };
  });
  router.add("POST", "/api/v1/tasks/{task}/prompts/{version_id}/activate", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task);
    const versionId = req.params.version_id;
    if (!(await repo.store.listPromptVersions(task.name)).some((v) => v.id === versionId))
      throw new HttpError(404, `prompt version ${versionId} of task ${task.name} not found`);
    await ensureVersions(repo, task);
    try {
      const { active } = await activateVersion(repo.store, repo.shipper, task, versionId);
      return { status: 200, body: active };
    } catch (error) {
      if (error instanceof NotFoundError) throw new HttpError(404, error.message);
      throw error;
    }
  });
}

// src/app/api/routes/tasks.ts
var import_yaml = __toESM(require_dist(), 1);
var CreateTask = TaskConfig.extend({
  /** The baseline prompt, written to `prompt_path` when given. */
  prompt: external_exports.string().min(1).optional()
});
function parseTask(body) {
  const unknown = body && typeof body === "object" && !Array.isArray(body) ? unknownTaskKeys(body).filter((k) => k.measured).map((k) => ({
    loc: ["body", ...k.path.map((p) => typeof p === "number" ? p : String(p))],
    msg: k.message,
    type: "unknown_key"
  })) : [];
  const result = CreateTask.safeParse(body);
  const invalid = result.success ? [] : fieldErrors(result.error, body, ["body"]);
  if (unknown.length > 0 || !result.success) throw new HttpError(422, [...unknown, ...invalid]);
  return result.data;
}
function registerTaskRoutes(router) {
  router.add("GET", "/api/v1/tasks", async (_, { repo }) => {
    const configs = await listTaskConfigs(repo);
    return { status: 200, body: await Promise.all(configs.map((c) => taskView(repo, c))) };
  });
  router.add("GET", "/api/v1/tasks/{task}", async (req, { repo }) => ({
    status: 200,
    body: await taskView(repo, await resolveTask(repo, req.params.task))
  }));
  router.add("POST", "/api/v1/tasks", async (req, { repo }) => {
    const raw = await req.json();
    const body = raw && typeof raw === "object" ? { ...raw } : raw;
    if (body && typeof body === "object") {
      for (const [alias, field] of Object.entries(TASK_CONFIG_ALIASES))
        if (alias in body && !(field in body))
          body[field] = body[alias];
    }
    const input = parseTask(body);
    if ((await listTaskConfigs(repo)).some((t) => t.name === input.name))
      throw new HttpError(409, `task ${input.name} already exists`);
    if (input.prompt !== void 0 && input.prompt_path === null)
      throw new HttpError(422, [
        {
          loc: ["body", "prompt_path"],
          msg: "is required when a prompt is given: it says where the prompt file lives",
          type: "missing"
        }
      ]);
    const { prompt, ...config } = input;
    const isDefault = (key, value) => {
      const fallback = TaskConfig.shape[key].safeParse(void 0);
      return fallback.success && JSON.stringify(fallback.data) === JSON.stringify(value);
    };
    const fields = Object.fromEntries(
      Object.entries(config).filter(
        ([key, value]) => key !== "name" && value !== null && !isDefault(key, value)
      )
    );
    const files = {
      [`${TASKS_DIR}/${config.name}.yml`]: `# Created through the Kaizen API.
${(0, import_yaml.stringify)({ name: config.name, ...fields })}`
    };
    if (prompt !== void 0 && config.prompt_path !== null) files[config.prompt_path] = prompt;
    const message = `Add Kaizen task ${config.name}`;
    try {
      await repo.store.commitToDefaultBranch(files, message);
      forgetTasks(repo);
    } catch (error) {
      if (!(error instanceof ProtectedBranchError) || !repo.proposeChange) throw error;
      const url = await repo.proposeChange(
        `task-${config.name}`,
        files,
        message,
        `Adds the Kaizen task \`${config.name}\`, requested through the API. The default branch is protected, so it arrives as this pull request.`
      );
      const task = await taskView(repo, config);
      return {
        status: 202,
        body: {
          ...task,
          pull_request_url: url,
          detail: `the default branch is protected, so task ${config.name} was proposed in a pull request: ${url}`
        }
      };
    }
    const baseline = prompt ?? (config.prompt_path ? await repo.store.readRepoFile(config.prompt_path) : null);
    if (baseline !== null)
      await repo.store.putPromptVersion(config.name, baselineVersion(repo, config.name, baseline));
    return { status: 201, body: await taskView(repo, config) };
  });
}

// src/app/api/routes/traces.ts
var ScoreInput = external_exports.object({ score: Score, scored_by: external_exports.string().max(200).default("sdk") });
var SCORE_NAMESPACE = "0c8e2f6a-9d1b-5c47-8e3a-2b6f4d1c9a70";
function registerTraceRoutes(router) {
  router.add(
    "POST",
    "/api/v1/traces",
    async (req, { repo }) => {
      const body = await req.json();
      const batch = Array.isArray(body) ? body : body?.traces;
      const entries = Array.isArray(batch) ? batch : [body];
      const tasks = await listTaskConfigs(repo);
      const errors2 = [];
      const byTask = /* @__PURE__ */ new Map();
      const now = (/* @__PURE__ */ new Date()).toISOString();
      entries.forEach((entry, index) => {
        const at = Array.isArray(batch) ? ["body", "traces", index] : ["body"];
        const parsed = TraceInput.safeParse(entry);
        if (!parsed.success) return void errors2.push(...fieldErrors(parsed.error, entry, at));
        const task = tasks.find(
          (t) => t.name === parsed.data.task_id || taskId(repo.repoKey, t.name) === parsed.data.task_id
        );
        if (!task)
          return void errors2.push({
            loc: [...at, "task_id"],
            msg: `task ${parsed.data.task_id} not found`,
            type: "value_error"
          });
        const group = byTask.get(task.name) ?? { task, records: [] };
        group.records.push(
          TraceResult.parse({
            ...parsed.data,
            id: entryId(req, parsed.data.id, index),
            task_id: taskId(repo.repoKey, task.name),
            created_at: now
          })
        );
        byTask.set(task.name, group);
      });
      if (errors2.length > 0) throw new HttpError(422, errors2);
      const results = await Promise.all(
        // Traces are kept like feedback: the newest feedback_retention_limit of a task.
        [...byTask.values()].map(
          (g) => repo.ingestion.addTraces(g.task.name, g.records, g.task.feedback_retention_limit)
        )
      );
      const records = results.flatMap((r) => r.records);
      const headers = replayedHeader(
        req,
        results.reduce((s, r) => s + r.added, 0)
      );
      return { status: 201, body: Array.isArray(batch) ? { traces: records } : records[0], headers };
    },
    { idempotentByIds: true }
  );
  router.add(
    "POST",
    "/api/v1/traces/{trace_id}/score",
    async (req, { repo }) => {
      const input = parseWith(ScoreInput, await req.json());
      const traceId = req.params.trace_id;
      const found = await repo.store.findTrace(traceId);
      if (!found) throw new HttpError(404, `trace ${traceId} not found`);
      const { trace } = found;
      const task = await resolveTask(repo, found.task);
      const feedback = FeedbackResult.parse({
        id: v5_default(traceId, SCORE_NAMESPACE),
        task_id: trace.task_id,
        inputs: { prompt: trace.prompt_text },
        output: trace.response_text,
        score: input.score,
        source: input.scored_by,
        metadata: {
          trace_id: trace.id,
          model: trace.model,
          source_file: trace.source_file,
          source_line: trace.source_line
        },
        created_at: (/* @__PURE__ */ new Date()).toISOString()
      });
      await repo.ingestion.addFeedback(task.name, [feedback], task.feedback_retention_limit);
      return { status: 200, body: { ...trace, score: input.score, scored_by: input.scored_by } };
    },
    // The feedback's id derives from the trace's: a repeat stores nothing twice, and needs no
    // idempotency record (an extra commit, and a file kept for a day) of its own.
    { idempotentByIds: true }
  );
}

// src/app/api/handler.ts
var KEY_CACHE_MS = 1e4;
function buildRouters(admin, invalidateKey) {
  const api = new Router();
  registerTaskRoutes(api);
  registerFeedbackRoutes(api);
  registerPromptRoutes(api);
  registerJobRoutes(api);
  registerJobCancelRoute(api);
  registerTraceRoutes(api);
  const keys = new Router();
  registerKeyRoutes(keys, admin, invalidateKey);
  return { api, keys };
}
function createApiHandler(options) {
  const verified = /* @__PURE__ */ new Map();
  const once = new Coalescer();
  const { api, keys } = buildRouters(options.admin, (id) => {
    for (const [key, entry] of verified) if (entry.record.id === id) verified.delete(key);
  });
  async function authenticate(req) {
    const header = req.headers["x-api-key"];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new HttpError(401, "missing X-API-Key header", { "www-authenticate": "X-API-Key" });
    const cached2 = verified.get(key);
    if (cached2 && cached2.until > Date.now()) return { repo: cached2.repo, key: cached2.record };
    const parsed = (options.locateKey ?? parseApiKey)(key);
    const repo = parsed ? await options.directory.byRepoKey(parsed.repoKey) : null;
    const record = repo && parsed ? await repo.store.getKey(parsed.keyId) : null;
    if (!repo || !record || !keyMatches(key, record))
      throw new HttpError(401, "invalid API key", { "www-authenticate": "X-API-Key" });
    verified.set(key, { record, repo, until: Date.now() + KEY_CACHE_MS });
    return { repo, key: record };
  }
  return async (req, res) => {
    const requestId = req.headers["x-request-id"] ?? randomUUID();
    const method = req.method ?? "GET";
    let routeName = "unmatched";
    let url = new URL("http://kaizen/");
    const reply = (response) => {
      options.metrics.countRequest(method, routeName, response.status);
      const headers = { "x-request-id": requestId, ...response.headers };
      if (method === "GET" && response.status === 200 && headers.etag && req.headers["if-none-match"] === headers.etag)
        return sendJson(res, 304, void 0, headers);
      sendJson(res, response.status, response.body, headers);
    };
    try {
      url = parseRequestTarget(req.url);
      if (url.pathname === "/healthz") return reply({ status: 200, body: { status: "ok" } });
      if (url.pathname === "/api/v1/openapi.json" && method === "GET")
        return reply({ status: 200, body: openApiDocument() });
      if (url.pathname === "/metrics") {
        routeName = "/metrics";
        const auth2 = req.headers["x-api-key"] ? await authenticate(req) : null;
        options.metrics.countRequest(method, "/metrics", 200);
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        return void res.end(options.metrics.render(options.repos(), auth2?.repo ?? null));
      }
      const request = (params, limit) => {
        let body = null;
        return {
          method,
          path: url.pathname,
          params,
          query: url.searchParams,
          headers: req.headers,
          json: () => body ??= readJsonBody(req, limit)
        };
      };
      const limitFor = (path) => path.endsWith("/batch") || path.endsWith("/traces") ? BATCH_BODY_LIMIT : BODY_LIMIT;
      const keyRoute = keys.match(method, url.pathname);
      if (keyRoute.route) {
        routeName = keyRoute.route.template;
        return reply(await keyRoute.route.handler(request(keyRoute.params, BODY_LIMIT), null));
      }
      const match = api.match(method, url.pathname);
      if (!match.route) {
        const allowed = [...match.allowed, ...keyRoute.route === null ? keyRoute.allowed : []];
        if (allowed.length > 0)
          return reply({
            status: 405,
            body: { detail: "Method Not Allowed" },
            headers: { allow: allowed.join(", ") }
          });
        return reply({ status: 404, body: { detail: "Not Found" } });
      }
      routeName = match.route.template;
      const auth = await authenticate(req);
      const apiRequest = request(match.params, limitFor(url.pathname));
      const idempotencyKey = method === "POST" && !match.route.idempotentByIds ? idempotencyKeyOf(req) : void 0;
      if (idempotencyKey) {
        const scope = `${method} ${url.pathname}`;
        const handler = match.route.handler;
        return reply(
          await once.run(`${auth.repo.repoKey}
${scope}
${idempotencyKey}`, async () => {
            const first = await recall(auth.repo.store, scope, idempotencyKey);
            if (first)
              return { status: first.status, body: first.body, headers: { "idempotent-replayed": "true" } };
            const response = await handler(apiRequest, auth);
            if (response.status < 500)
              await remember(auth.repo.store, scope, idempotencyKey, response.status, response.body);
            return response;
          })
        );
      }
      return reply(await match.route.handler(apiRequest, auth));
    } catch (error) {
      if (error instanceof HttpError)
        return reply({ status: error.status, body: { detail: error.detail }, headers: error.headers });
      if (error instanceof NotFoundError) return reply({ status: 404, body: { detail: error.message } });
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
              type: "value_error"
            }))
          }
        });
      options.log?.(
        `${method} ${url.pathname} failed [${requestId}]: ${error.stack ?? String(error)}`
      );
      return reply({ status: 500, body: { detail: `internal error; request id ${requestId}` } });
    }
  };
}
function gitHubFailure(error) {
  const transient = error.status === null || error.status >= 500 || error.status === 429;
  return transient ? {
    status: 503,
    body: { detail: `GitHub did not answer; try again shortly (${error.message})` },
    headers: { "retry-after": "5" }
  } : { status: 502, body: { detail: error.message } };
}

// src/app/ingestion.ts
var Ingestion = class {
  #store;
  #options;
  #queues = {
    feedback: [],
    traces: []
  };
  #queued = 0;
  #flushing = null;
  #lastKind = null;
  #afterCommit;
  stats = { queued: 0, commits: 0, entries: 0 };
  #log;
  constructor(store, options, afterCommit = async () => {
  }, log = () => {
  }) {
    this.#log = log;
    this.#store = store;
    this.#options = options;
    this.#afterCommit = afterCommit;
  }
  get queued() {
    return this.#queued;
  }
  /** Stores feedback; resolves once it is committed. */
  addFeedback(task, records, retentionLimit) {
    return this.#enqueue("feedback", task, records, retentionLimit);
  }
  /** Stores traces, keeping the newest `retentionLimit` of the task; resolves once committed. */
  addTraces(task, records, retentionLimit = Infinity) {
    return this.#enqueue("traces", task, records, retentionLimit);
  }
  /** Resolves when everything queued so far is committed (shutdown). */
  async drain() {
    while (this.#flushing || this.#queued > 0) await (this.#flushing ?? this.#flush());
  }
  #enqueue(kind, task, records, retentionLimit) {
    if (this.#queued + records.length > this.#options.maxQueued) {
      const seconds = Math.max(1, Math.ceil(this.#options.pacer.intervalMs / 1e3));
      return Promise.reject(
        new HttpError(
          429,
          `ingestion queue is full (${this.#queued} entries waiting); retry after ${seconds} s`,
          { "retry-after": String(seconds) }
        )
      );
    }
    this.#queued += records.length;
    this.stats.queued = this.#queued;
    const promise = new Promise((resolve, reject) => {
      this.#queues[kind].push({ task, records, retentionLimit, resolve, reject });
    });
    this.#flushing ??= this.#flush().catch(
      (error) => this.#log(`ingestion flush failed: ${error?.stack ?? String(error)}`)
    );
    return promise;
  }
  get pacer() {
    return this.#options.pacer;
  }
  /**
   * One commit per turn: the entries of one task are taken from the queue only once the pacer
   * gives the turn, so everything that arrived while waiting goes into that commit.
   */
  async #flush() {
    try {
      for (; ; ) {
        const order = this.#lastKind === "feedback" ? ["traces", "feedback"] : ["feedback", "traces"];
        const kind = order.find((k) => this.#queues[k].length > 0);
        if (!kind) return;
        this.#lastKind = kind;
        await this.#options.pacer.turn();
        await this.#commitGroup(kind, this.#queues[kind][0].task, this.#take(kind), false);
      }
    } finally {
      this.#flushing = null;
    }
  }
  /** Removes and returns every waiting request of the oldest waiting task of this kind. */
  #take(kind) {
    const queue = this.#queues[kind];
    const task = queue[0].task;
    const taken = queue.filter((w) => w.task === task);
    this.#queues[kind] = queue.filter((w) => w.task !== task);
    return taken;
  }
  /**
   * Commits one task's waiting requests together. When the commit fails, the group is split in
   * halves and each half is tried on its own, so a request that cannot be stored fails alone
   * and every other request in its group is still stored (a few more commits, only on failure).
   */
  async #commitGroup(kind, task, group, paced = true) {
    if (paced) await this.#options.pacer.turn();
    const all = group.flatMap((w) => w.records);
    let result = null;
    let failure = null;
    try {
      const retention = Math.min(...group.map((w) => w.retentionLimit));
      result = kind === "feedback" ? await this.#store.appendFeedback(task, all, { retentionLimit: retention }) : await this.#store.appendTraces(task, all, {
        ...Number.isFinite(retention) ? { retentionLimit: retention } : {}
      });
      if (result.commit) this.stats.commits++;
      this.stats.entries += result.added;
    } catch (error) {
      failure = error;
    }
    if (!result) {
      if (group.length === 1) {
        this.#queued -= all.length;
        this.stats.queued = this.#queued;
        group[0].reject(failure);
        return;
      }
      const half = Math.ceil(group.length / 2);
      await this.#commitGroup(kind, task, group.slice(0, half));
      await this.#commitGroup(kind, task, group.slice(half));
      return;
    }
    this.#queued -= all.length;
    this.stats.queued = this.#queued;
    let offset = 0;
    for (const w of group) {
      const records = result.records.slice(offset, offset + w.records.length);
      const added = records.filter((r, i) => JSON.stringify(r) === JSON.stringify(w.records[i])).length;
      w.resolve({ ...result, records, added, duplicates: records.length - added });
      offset += w.records.length;
    }
    if (kind === "feedback")
      await this.#afterCommit(task, result).catch(
        (error) => this.#log(`after committing feedback of ${task}: ${error.message}`)
      );
  }
};

// src/app/pacing.ts
var REQUESTS_PER_COMMIT = 3;
var MINUTE_MS = 6e4;
var HOUR_MS = 36e5;
var GITHUB_HOURLY_BUDGET = { commits: 120 };
var HourlyBucket = class {
  capacity;
  perMs;
  #tokens;
  #at;
  constructor(budget, now) {
    const windowMs = budget.windowMs ?? HOUR_MS;
    this.capacity = Math.max(1, Math.ceil(budget.commits / 6));
    this.perMs = Math.max(0, budget.commits - this.capacity) / windowMs;
    this.#tokens = this.capacity;
    this.#at = now;
  }
  #refill(now) {
    this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#at) * this.perMs);
    this.#at = now;
  }
  /** Milliseconds until a commit may go (Infinity when the budget holds fewer than one). */
  waitMs(now) {
    this.#refill(now);
    if (this.#tokens >= 1) return 0;
    return this.perMs > 0 ? Math.ceil((1 - this.#tokens) / this.perMs) : Infinity;
  }
  take(now) {
    this.#refill(now);
    this.#tokens -= 1;
  }
};
var CommitPacer = class {
  intervalMs;
  id;
  #nextAt = 0;
  #hourly;
  #tail = Promise.resolve();
  /** Times of the turns handed out in the last hour, oldest first. */
  #recent = [];
  /**
   * @param id what /metrics calls this budget (the installation id)
   * @param intervalMs least time between two commits (the per-minute limit); 0 never waits
   * @param hourly commits allowed in any hour (GitHub's hourly limit); none when absent
   */
  constructor(id, intervalMs, hourly) {
    this.id = id;
    this.intervalMs = intervalMs;
    this.#hourly = hourly && Number.isFinite(hourly.commits) ? new HourlyBucket(hourly, Date.now()) : null;
  }
  /** Resolves when the caller may make its next commit; callers are served in arrival order. */
  turn() {
    const mine = this.#tail.then(async () => {
      for (let wait = this.#waitMs(Date.now()); wait > 0; wait = this.#waitMs(Date.now()))
        await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      this.#hourly?.take(now);
      this.#nextAt = now + this.intervalMs;
      this.#recent.push(now);
      this.#forget(now);
    });
    this.#tail = mine;
    return mine;
  }
  /** The longest a commit asked for now would wait, in ms (the larger of both limits). */
  #waitMs(now) {
    return Math.max(this.#nextAt - now, this.#hourly?.waitMs(now) ?? 0);
  }
  /** Content-creating requests of ingestion commits in the last minute, for /metrics. */
  requestsLastMinute(now = Date.now()) {
    return this.#turnsSince(now - MINUTE_MS, now) * REQUESTS_PER_COMMIT;
  }
  /** Content-creating requests of ingestion commits in the last hour, for /metrics. */
  requestsLastHour(now = Date.now()) {
    return this.#turnsSince(now - HOUR_MS, now) * REQUESTS_PER_COMMIT;
  }
  #turnsSince(from, now) {
    this.#forget(now);
    return this.#recent.filter((t) => t > from).length;
  }
  /** Drops turns older than an hour: nothing reports further back. */
  #forget(now) {
    const kept = this.#recent.findIndex((t) => t > now - HOUR_MS);
    this.#recent.splice(0, kept === -1 ? this.#recent.length : kept);
  }
};

// src/app/threshold-trigger.ts
async function triggerIfDue(repo, task, state) {
  const config = (await listTaskConfigs(repo)).find((t) => t.name === task);
  if (!config || state.feedback_since_optimization < config.feedback_threshold) return;
  if (!isDue(config, state.feedback_since_optimization, await repo.store.listJobs(task)).due) return;
  await startJob2(repo, task, "auto_threshold");
}

// src/app/http-server.ts
import { createServer } from "node:http";
var DEFAULT_LIMITS = {
  headersTimeoutMs: 2e4,
  requestTimeoutMs: 6e4,
  keepAliveTimeoutMs: 5e3,
  maxConnections: 1024
};
function createKaizenServer(handler, log, limits = {}) {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = {
    ...DEFAULT_LIMITS,
    ...limits
  };
  keepServingOnUnexpectedErrors(log);
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs
    },
    (req, res) => {
      Promise.resolve().then(() => handler(req, res)).catch((error) => {
        log(`${req.method} ${req.url} failed: ${error?.stack ?? String(error)}`);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ detail: "internal error" }));
        } else res.destroy();
      });
    }
  );
  server.maxConnections = maxConnections;
  return server;
}
var guarded = false;
var report = (message) => console.error(message);
function keepServingOnUnexpectedErrors(log) {
  report = log;
  if (guarded) return;
  guarded = true;
  process.on("unhandledRejection", (reason) => {
    report(`unexpected rejection (Kaizen keeps serving): ${reason?.stack ?? String(reason)}`);
  });
}

// src/app/metrics.ts
var Metrics = class {
  #requests = /* @__PURE__ */ new Map();
  /** `x-ratelimit-remaining` of the last GitHub response, per repository (none in local mode). */
  #rateLimitRemaining = /* @__PURE__ */ new Map();
  countRequest(method, route, status) {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }
  /** Called with every GitHub response's `x-ratelimit-remaining` (an installation's budget). */
  recordRateLimit(repo, remaining) {
    this.#rateLimitRemaining.set(repo, remaining);
  }
  /**
   * Without credentials only figures summed over every repository are served: a repository's
   * name (private ones too) is not public. A caller with a repository's API key (`only`) also
   * gets that one repository's own lines.
   */
  render(repos, only = null) {
    const sum = (f) => repos.reduce((total, repo) => total + f(repo), 0);
    const lines = [
      "# HELP kaizen_http_requests_total HTTP requests answered, by route and status.",
      "# TYPE kaizen_http_requests_total counter"
    ];
    for (const [labels, n] of this.#requests) lines.push(`kaizen_http_requests_total{${labels}} ${n}`);
    lines.push(
      "# HELP kaizen_repositories Repositories this server has served since it started.",
      "# TYPE kaizen_repositories gauge",
      `kaizen_repositories ${repos.length}`,
      "# HELP kaizen_ingestion_queue_depth Feedback and trace entries waiting for their commit.",
      "# TYPE kaizen_ingestion_queue_depth gauge",
      `kaizen_ingestion_queue_depth ${sum((r) => r.ingestion.queued)}`
    );
    if (only) lines.push(`kaizen_ingestion_queue_depth{repo="${only.fullName}"} ${only.ingestion.queued}`);
    lines.push(
      "# HELP kaizen_commits_total Commits made by ingestion.",
      "# TYPE kaizen_commits_total counter",
      `kaizen_commits_total ${sum((r) => r.ingestion.stats.commits)}`
    );
    if (only) lines.push(`kaizen_commits_total{repo="${only.fullName}"} ${only.ingestion.stats.commits}`);
    lines.push(
      "# HELP kaizen_github_rate_limit_remaining Requests left in the current GitHub rate-limit window (the lowest of all repositories without a label).",
      "# TYPE kaizen_github_rate_limit_remaining gauge"
    );
    if (this.#rateLimitRemaining.size > 0)
      lines.push(`kaizen_github_rate_limit_remaining ${Math.min(...this.#rateLimitRemaining.values())}`);
    const own = only ? this.#rateLimitRemaining.get(only.fullName) : void 0;
    if (only && own !== void 0)
      lines.push(`kaizen_github_rate_limit_remaining{repo="${only.fullName}"} ${own}`);
    const pacers = [...new Set(repos.map((r) => r.ingestion.pacer))];
    lines.push(
      "# HELP kaizen_installation_content_requests_per_minute Content-creating GitHub requests of ingestion commits in the last minute, per installation (the busiest without a label); GitHub's secondary limit is 80.",
      "# TYPE kaizen_installation_content_requests_per_minute gauge",
      `kaizen_installation_content_requests_per_minute ${Math.max(0, ...pacers.map((p) => p.requestsLastMinute()))}`
    );
    if (only)
      lines.push(
        `kaizen_installation_content_requests_per_minute{installation="${only.ingestion.pacer.id}"} ${only.ingestion.pacer.requestsLastMinute()}`
      );
    lines.push(
      "# HELP kaizen_installation_content_requests_per_hour Content-creating GitHub requests of ingestion commits in the last hour, per installation (the busiest without a label); GitHub's secondary limit is 500.",
      "# TYPE kaizen_installation_content_requests_per_hour gauge",
      `kaizen_installation_content_requests_per_hour ${Math.max(0, ...pacers.map((p) => p.requestsLastHour()))}`
    );
    if (only)
      lines.push(
        `kaizen_installation_content_requests_per_hour{installation="${only.ingestion.pacer.id}"} ${only.ingestion.pacer.requestsLastHour()}`
      );
    return `${lines.join("\n")}
`;
  }
};

export {
  hashKey,
  createApiKey,
  keyPrefix,
  parseApiKey,
  keyMatches,
  HttpError,
  forgetTasks,
  startJob2 as startJob,
  retryPullRequest,
  createApiHandler,
  Ingestion,
  GITHUB_HOURLY_BUDGET,
  CommitPacer,
  triggerIfDue,
  createKaizenServer,
  Metrics
};
