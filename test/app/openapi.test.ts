import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { buildRouters } from "../../src/app/api/handler.js";
import { openApiDocument, OPERATIONS } from "../../src/app/api/openapi.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: { "application/json": { schema: { $ref: string } } } }> }
    >
  >;
  components: { schemas: Record<string, object> };
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("the OpenAPI document", () => {
  it("lists exactly the routes the server has", () => {
    const { api: routes, keys } = buildRouters(
      { check: async () => Promise.reject(new Error("unused")) },
      () => {},
    );
    const served = [...routes.routes, ...keys.routes].map((r) => `${r.method} ${r.template}`);
    const documented = OPERATIONS.map((o) => `${o.method} ${o.path}`);
    const builtIn = ["GET /healthz", "GET /metrics", "GET /api/v1/openapi.json"];
    expect(new Set(documented)).toEqual(new Set([...served, ...builtIn]));
  });

  it("is served at /api/v1/openapi.json without a key", async () => {
    const response = await api.call("GET", "/api/v1/openapi.json", undefined, { "x-api-key": "" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(response.body.openapi).toBe("3.1.0");
  });

  it("describes what the live server really answers", async () => {
    const doc = openApiDocument() as Doc;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const check = async (method: string, path: string, template: string, body?: unknown) => {
      const response = await api.call(method, path, body);
      const schema =
        doc.paths[template]![method.toLowerCase()]!.responses[String(response.status)]!.content![
          "application/json"
        ].schema;
      const validate = ajv.compile({ $ref: `doc${schema.$ref}` });
      expect(validate(response.body), `${method} ${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    await check("GET", "/api/v1/tasks", "/api/v1/tasks");
    await check("POST", "/api/v1/feedback", "/api/v1/feedback", {
      task_id: "summarize_ticket",
      inputs: { ticket: "x" },
      output: "y",
      score: 1,
    });
    await check("GET", "/api/v1/tasks/summarize_ticket/prompt", "/api/v1/tasks/{task}/prompt");
    await check("POST", "/api/v1/tasks/summarize_ticket/optimize", "/api/v1/tasks/{task}/optimize");
    await check("GET", "/api/v1/jobs", "/api/v1/jobs");
    await check("POST", "/api/v1/feedback", "/api/v1/feedback", { task_id: "summarize_ticket", score: 9 });
  });
});
