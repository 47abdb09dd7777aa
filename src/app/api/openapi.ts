/**
 * The HTTP API's OpenAPI 3.1 document, generated from the zod records (the wire contract) and
 * the table of operations below, served at /api/v1/openapi.json. A test checks the table
 * against the routes the server really has, so the two cannot drift.
 */
import { z } from "zod";
import { CanaryView } from "../../core/canary.js";
import {
  CreateTaskInput,
  CostEstimate,
  FeedbackInput,
  FeedbackResult,
  Job,
  OptimizeResult,
  PromptVersion,
  Task,
  TraceInput,
  TraceResult,
} from "../../core/records.js";

type Schema = z.ZodType;

interface Operation {
  method: "GET" | "POST" | "DELETE";
  path: string;
  summary: string;
  auth: "apiKey" | "githubToken" | "none";
  body?: Schema;
  query?: Record<string, { description: string; type: "integer" | "string" }>;
  responses: Record<number, { description: string; schema?: Schema }>;
}

const Detail = z.object({
  detail: z
    .unknown()
    .describe("What went wrong: a message, or a list of { loc, msg, type } for invalid fields"),
});
const page = {
  limit: { description: "How many (default 50, at most 200)", type: "integer" as const },
  offset: { description: "How many to skip", type: "integer" as const },
};
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: ERROR_TEXT[c]!, schema: Detail }]));
const ERROR_TEXT: Record<number, string> = {
  401: "Missing or invalid credentials",
  404: "Not found (or outside the key's repository)",
  400: "Malformed request target or path",
  409: "Conflict (the detail names what is in the way)",
  413: "Body over the size limit",
  422: "Invalid input (every bad field with its path), or a task file the request cannot use (its file and field)",
  429: "Ingestion queue full: retry after Retry-After seconds",
  502: "GitHub refused the pull request again",
};

const Batch = <S extends Schema>(item: S, key: string) =>
  z.union([z.array(item), z.object({ [key]: z.array(item) })]);

export const OPERATIONS: readonly Operation[] = [
  {
    method: "GET",
    path: "/api/v1/tasks",
    summary: "List tasks, a page at a time, by name",
    auth: "apiKey",
    query: page,
    responses: {
      200: { description: "A page of the repository's tasks", schema: z.array(Task) },
      ...errors(401, 422),
    },
  },
  {
    method: "POST",
    path: "/api/v1/tasks",
    summary:
      "Create a task: .kaizen/tasks/<name>.yml and its prompt file (`prompt_path`, default prompts/<name>.md), with `prompt` or, without one, a baseline made from the description and `inputs`; committed by `kaizen serve`, proposed as a pull request on GitHub. Never overwrites a file (409 naming it)",
    auth: "apiKey",
    body: CreateTaskInput,
    responses: {
      201: { description: "Created (kaizen serve)", schema: Task },
      202: {
        description: "Proposed as a pull request (GitHub); the task exists once it is merged",
        schema: Task.extend({ pull_request_url: z.string(), detail: z.string() }),
      },
      ...errors(401, 409, 422),
    },
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}",
    summary: "Get a task by id or name",
    auth: "apiKey",
    responses: { 200: { description: "The task", schema: Task }, ...errors(401, 404) },
  },
  {
    method: "POST",
    path: "/api/v1/feedback",
    summary: "Log feedback (acknowledged once committed)",
    auth: "apiKey",
    body: FeedbackInput,
    responses: { 201: { description: "Stored", schema: FeedbackResult }, ...errors(401, 404, 413, 422, 429) },
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
        schema: z.object({ feedback: z.array(FeedbackResult), added: z.number(), duplicates: z.number() }),
      },
      ...errors(401, 413, 422, 429),
    },
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/feedback",
    summary: "List a task's feedback, newest first",
    auth: "apiKey",
    query: page,
    responses: {
      200: { description: "Feedback", schema: z.array(FeedbackResult) },
      ...errors(401, 404, 422),
    },
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/prompt",
    summary:
      "The prompt to serve (ETag, 304 when unchanged): the active version, or with `unit` the canary's candidate for its share of units",
    auth: "apiKey",
    query: {
      unit: {
        description:
          "A user, session or request id: while a canary runs, a hash of it and the candidate decides (sticky) which version it gets; without it, the active version. The `x-kaizen-canary` header (`candidate=<id>; active=<id>; share=<s>`) lets a client decide for other units itself",
        type: "string",
      },
    },
    responses: {
      200: {
        description: "The version served (its `id` is what feedback's `prompt_version_id` names)",
        schema: PromptVersion,
      },
      304: { description: "Not modified" },
      ...errors(401, 404, 422),
    },
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/canary",
    summary: "The online canary: both arms, the difference and its interval, the decision",
    auth: "apiKey",
    responses: {
      200: { description: "The canary's figures", schema: CanaryView },
      ...errors(401, 404),
    },
  },
  {
    method: "GET",
    path: "/api/v1/tasks/{task}/prompts",
    summary: "Every prompt version, newest first",
    auth: "apiKey",
    responses: { 200: { description: "Versions", schema: z.array(PromptVersion) }, ...errors(401, 404) },
  },
  {
    method: "POST",
    path: "/api/v1/tasks/{task}/prompts/{version_id}/activate",
    summary: "Make a version active",
    auth: "apiKey",
    responses: { 200: { description: "The activated version", schema: PromptVersion }, ...errors(401, 404) },
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
        description:
          "GitHub refused to start the Kaizen workflow; the job is FAILED and the detail names the workflow file and .kaizen/config.yml",
        schema: Detail,
      },
    },
  },
  {
    method: "GET",
    path: "/api/v1/jobs",
    summary: "List jobs, newest first",
    auth: "apiKey",
    query: { task_id: { description: "Only this task's jobs (id or name)", type: "string" }, ...page },
    responses: { 200: { description: "Jobs", schema: z.array(Job) }, ...errors(401, 422) },
  },
  {
    method: "GET",
    path: "/api/v1/jobs/{job_id}",
    summary: "Get a job",
    auth: "apiKey",
    responses: { 200: { description: "The job", schema: Job }, ...errors(401, 404) },
  },
  {
    method: "POST",
    path: "/api/v1/jobs/{job_id}/retry-pr",
    summary: "Re-open the pull request of a PR_FAILED job",
    auth: "apiKey",
    responses: { 200: { description: "The job, now SUCCESS", schema: Job }, ...errors(401, 404, 409, 502) },
  },
  {
    method: "POST",
    path: "/api/v1/jobs/{job_id}/cancel",
    summary: 'Cancel a job not yet finished: it ends FAILED, "cancelled by" the key\'s prefix',
    auth: "apiKey",
    responses: { 200: { description: "The job, now FAILED", schema: Job }, ...errors(401, 404, 409) },
  },
  {
    method: "POST",
    path: "/api/v1/traces",
    summary: "Record traces of LLM calls (one, a list, or { traces: [...] })",
    auth: "apiKey",
    body: z.union([TraceInput, Batch(TraceInput, "traces")]),
    responses: {
      201: {
        description: "Stored",
        schema: z.union([TraceResult, z.object({ traces: z.array(TraceResult) })]),
      },
      ...errors(401, 413, 422, 429),
    },
  },
  {
    method: "POST",
    path: "/api/v1/traces/{trace_id}/score",
    summary: "Score a trace; it becomes feedback of its task",
    auth: "apiKey",
    body: z.object({ score: z.number().min(0).max(1), scored_by: z.string().optional() }),
    responses: { 200: { description: "The scored trace", schema: TraceResult }, ...errors(401, 404, 422) },
  },
  {
    method: "POST",
    path: "/api/v1/keys",
    summary: "Create an API key (shown once); Authorization: Bearer <a repository admin's GitHub token>",
    auth: "githubToken",
    body: z.object({ repo: z.string().optional() }),
    responses: {
      201: {
        description: "The new key",
        schema: z.object({
          id: z.string(),
          key: z.string(),
          prefix: z.string(),
          repo: z.string(),
          created_at: z.string(),
          created_by: z.string().describe("The GitHub login (or `local`) that created the key"),
          detail: z.string().describe("A reminder that the key is shown only once"),
        }),
      },
      ...errors(401, 404, 422),
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/keys/{key_id}",
    summary: "Revoke an API key",
    auth: "githubToken",
    responses: { 204: { description: "Revoked" }, ...errors(401, 404, 422) },
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    summary: "This document",
    auth: "none",
    responses: { 200: { description: "OpenAPI 3.1" } },
  },
  {
    method: "GET",
    path: "/healthz",
    summary: "Liveness",
    auth: "none",
    responses: { 200: { description: "ok", schema: z.object({ status: z.literal("ok") }) } },
  },
  {
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics (text)",
    auth: "none",
    responses: {
      200: { description: "Metrics in Prometheus text format" },
      ...errors(401),
    },
  },
];

const NAMED: [string, Schema][] = [
  ["Error", Detail],
  ["Task", Task],
  ["FeedbackResult", FeedbackResult],
  ["Prompt", PromptVersion],
  ["Job", Job],
  ["OptimizeResult", OptimizeResult],
  ["CostEstimate", CostEstimate],
  ["TraceResult", TraceResult],
];

let cached: object | null = null;

/** The document (built once: it depends only on code). */
export function openApiDocument(): object {
  if (cached) return cached;
  // Responses are described as the server writes them (output), bodies as clients may send them
  // (input: defaults optional). Each goes into a registry, which turns shared records into $refs.
  const outputs = z.registry<{ id: string }>();
  const inputs = z.registry<{ id: string }>();
  for (const [id, schema] of NAMED) outputs.add(schema, { id });
  const idOf = (op: Operation, suffix: string) =>
    `${op.method.toLowerCase()}${op.path
      .replace(/\/api\/v1/, "")
      .replace(/[{}]/g, "")
      .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}${suffix}`;
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const named = new Map(NAMED.map(([id, schema]) => [schema, id]));
  const paths: Record<string, Record<string, object>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, object> = {};
    for (const [status, r] of Object.entries({ ...impliedResponses(op), ...op.responses })) {
      let content = {};
      if (r.schema) {
        const id = named.get(r.schema) ?? idOf(op, `Response${status}`);
        if (!named.has(r.schema) && !outputs.has(r.schema)) outputs.add(r.schema, { id });
        content = {
          content: {
            "application/json": { schema: ref(named.get(r.schema) ?? (outputs.get(r.schema)?.id as string)) },
          },
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
        schema: { type: "string" },
      })),
      ...Object.entries(op.query ?? {}).map(([name, q]) => ({
        name,
        in: "query",
        required: false,
        description: q.description,
        schema: { type: q.type },
      })),
    ];
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      summary: op.summary,
      operationId: idOf(op, ""),
      security:
        op.auth === "apiKey" ? [{ apiKey: [] }] : op.auth === "githubToken" ? [{ githubToken: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...requestBody,
      responses,
    };
  }
  const uri = (id: string) => `#/components/schemas/${id}`;
  const schemas = {
    ...(z.toJSONSchema(outputs, { io: "output", unrepresentable: "any", uri }).schemas as Record<
      string,
      object
    >),
    ...(z.toJSONSchema(inputs, { io: "input", unrepresentable: "any", uri }).schemas as Record<
      string,
      object
    >),
  };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Kaizen API",
      version: "1.0.0",
      description:
        "Continuous prompt tuning, native to GitHub: tasks, feedback, prompts, optimization jobs and traces.",
    },
    servers: [{ url: "http://localhost:8000" }],
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, stripMeta(schema)])),
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        githubToken: { type: "http", scheme: "bearer", description: "A GitHub token of a repository admin" },
      },
    },
    paths,
  };
  return cached;
}

/**
 * Statuses every operation of a kind can answer, so that no table entry can forget one: a path
 * parameter that is not one decodable segment (400) or names nothing (404), credentials (401),
 * a JSON body (413 over the limit, 422 when it is not JSON), an `Idempotency-Key` reused for
 * another request (422 on every POST).
 */
function impliedResponses(op: Operation): Operation["responses"] {
  const codes: number[] = [];
  if (op.path.includes("{")) codes.push(400, 404);
  if (op.auth !== "none") codes.push(401);
  if (op.body) codes.push(413, 422);
  if (op.method === "POST") codes.push(422);
  return errors(...codes);
}

/** Drops the `$schema` keys zod puts on every root: inside an OpenAPI document they are noise. */
function stripMeta(schema: object): object {
  const { $schema: _schema, ...rest } = schema as { $schema?: unknown };
  return rest;
}
