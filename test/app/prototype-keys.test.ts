/**
 * Keys named like Object.prototype's members (`toString`, `constructor`, `__proto__`,
 * `hasOwnProperty`) in what users send or commit are plain unknown keys: a 422 for a request,
 * that file's own problem for a task file, never a 500 and never the whole server's failure.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initRepository } from "../../src/store/local-git-store.js";
import { DEMO_FILES } from "../../src/cli/commands/serve.js";
import { kaizenProcess, kaizenServe, type ServeProcess } from "../cli/helpers/kaizen-process.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

describe("object-prototype key names in a request", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it.each([
    ['{"name":"x1","toString":1}', ["body", "toString"]],
    ['{"name":"x2","constructor":1}', ["body", "constructor"]],
    ['{"name":"x3","hasOwnProperty":1}', ["body", "hasOwnProperty"]],
    ['{"name":"x4","__proto__":{"feedback_threshold":1}}', ["body", "__proto__"]],
    ['{"name":"x5","evaluator_config":{"toString":1}}', ["body", "evaluator_config", "toString"]],
    [
      '{"name":"x6","evaluator_config":{"evaluators":[{"type":"llm_judge","constructor":1}]}}',
      ["body", "evaluator_config", "evaluators", 0, "constructor"],
    ],
  ])("POST /api/v1/tasks %s answers 422 naming the key", async (body, loc) => {
    const created = await api.call("POST", "/api/v1/tasks", body);
    expect(created.status).toBe(422);
    expect(created.body.detail).toContainEqual(expect.objectContaining({ loc, type: "unknown_key" }));
  });

  it("prices a model named like a prototype member as unknown, not as Object's function", async () => {
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "proto_model",
      student_model: "constructor",
      model_prices: {},
      prompt_path: "prompts/proto_model.md",
      prompt: "Answer {{q}}\n",
    });
    expect(created.status).toBe(201);
    const optimize = await api.call("POST", "/api/v1/tasks/proto_model/optimize");
    expect(optimize.status).toBe(422);
    expect(JSON.stringify(optimize.body.detail)).toMatch(/constructor.*price|price.*constructor/);
  });
});

const BROKEN_FILES = {
  ...DEMO_FILES,
  // A warning only (an unknown top-level key), and an error (inside evaluator_config).
  ".kaizen/tasks/warned.yml": "name: warned\nconstructor: 1\ntoString: 2\n__proto__: {a: 1}\n",
  ".kaizen/tasks/broken.yml": "name: broken\nevaluator_config:\n  constructor: 1\n",
};

describe("a task file with object-prototype keys on main", () => {
  let dir: string;
  let server: ServeProcess;
  const key = "operator-key-for-prototype-test-0123456789";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kaizen-proto-"));
    await initRepository(dir, BROKEN_FILES);
    server = await kaizenServe(dir, { KAIZEN_API_KEY: key });
  });
  afterAll(async () => server.stop());

  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  it("kaizen serve starts, lists the other tasks and takes their feedback", async () => {
    const tasks = await call("GET", "/api/v1/tasks");
    expect(tasks.status).toBe(200);
    expect(tasks.body.map((t: { name: string }) => t.name).sort()).toEqual(["summarize_ticket", "warned"]);
    const feedback = await call("POST", "/api/v1/feedback", {
      task_id: "summarize_ticket",
      inputs: { ticket: "Login broken", constructor: "x" },
      output: "User cannot log in.",
      score: 1,
    });
    expect(feedback.status).toBe(201);
    expect(server.log()).not.toMatch(/TypeError|at unknownKeys/);
  });

  it("the broken task is its own error: a 404 naming nothing else", async () => {
    expect((await call("GET", "/api/v1/tasks/broken")).status).toBe(404);
  });

  it("kaizen validate reports each key with file and line, and no stack trace", async () => {
    await writeFile(path.join(dir, ".kaizen/tasks/broken.yml"), BROKEN_FILES[".kaizen/tasks/broken.yml"]);
    await writeFile(path.join(dir, ".kaizen/tasks/warned.yml"), BROKEN_FILES[".kaizen/tasks/warned.yml"]);
    const { code, out, err } = await kaizenProcess(dir, {}, "validate");
    expect(code).toBe(1);
    expect(out).toContain(
      ".kaizen/tasks/broken.yml:3:3: error: evaluator_config.constructor: unknown key in evaluator_config",
    );
    expect(out).toContain(".kaizen/tasks/warned.yml:2:1: warning: constructor: unknown field, ignored");
    expect(out).toContain(".kaizen/tasks/warned.yml:3:1: warning: toString: unknown field, ignored");
    expect(`${out}${err}`).not.toMatch(/TypeError|\n\s+at /);
  });
});
