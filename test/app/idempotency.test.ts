/**
 * `Idempotency-Key` through real HTTP: a key names one request (Stripe's rule). The same request
 * again is replayed; another body under the key is a 422 and stores nothing; the key's scope is
 * the client and the resource (a task's name and id are one), not the path's spelling; two
 * clients that reuse one key never share entries or responses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskId } from "../../src/core/ids.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

const keyed = (key: string, extra: Record<string, string> = {}) => ({ "idempotency-key": key, ...extra });
const feedback = (output: string) => ({ task_id: "classify", inputs: { text: output }, output, score: 1 });
const outputsOf = async () =>
  ((await api.call("GET", "/api/v1/tasks/classify/feedback?limit=200")).body as { output: string }[]).map(
    (f) => f.output,
  );

describe("Idempotency-Key reused with another request", () => {
  it("replays the same feedback, and refuses another body under the key with 422, storing nothing", async () => {
    const first = await api.call("POST", "/api/v1/feedback", feedback("first"), keyed("fb-1"));
    expect(first.status).toBe(201);
    const again = await api.call("POST", "/api/v1/feedback", feedback("first"), keyed("fb-1"));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    const other = await api.call("POST", "/api/v1/feedback", feedback("second"), keyed("fb-1"));
    expect(other.status).toBe(422);
    expect(other.body.detail).toMatch(/Idempotency-Key "fb-1" was already used for a different request/);
    expect((await outputsOf()).filter((o) => o === "first" || o === "second")).toEqual(["first"]);
  });

  it("refuses a batch with another body under the key", async () => {
    const batch = (tag: string) => [feedback(`${tag}-a`), feedback(`${tag}-b`)];
    expect((await api.call("POST", "/api/v1/feedback/batch", batch("b1"), keyed("batch-1"))).status).toBe(
      201,
    );
    const other = await api.call("POST", "/api/v1/feedback/batch", batch("b2"), keyed("batch-1"));
    expect(other.status).toBe(422);
    expect((await outputsOf()).filter((o) => o.startsWith("b2"))).toEqual([]);
  });

  it("refuses a batch of another length under the key with 422, storing none of it", async () => {
    const first = await api.call(
      "POST",
      "/api/v1/feedback/batch",
      [feedback("len-a"), feedback("len-b")],
      keyed("batch-len"),
    );
    expect(first.status).toBe(201);
    const longer = await api.call(
      "POST",
      "/api/v1/feedback/batch",
      [feedback("len-a"), feedback("len-b"), feedback("len-c")],
      keyed("batch-len"),
    );
    expect(longer.status).toBe(422);
    expect(longer.body.detail).toMatch(
      /Idempotency-Key "batch-len" was already used for a different request/,
    );
    const shorter = await api.call("POST", "/api/v1/feedback/batch", [feedback("len-a")], keyed("batch-len"));
    expect(shorter.status).toBe(422);
    const replay = await api.call(
      "POST",
      "/api/v1/feedback/batch",
      [feedback("len-a"), feedback("len-b")],
      keyed("batch-len"),
    );
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.feedback).toEqual(first.body.feedback);
    expect((await outputsOf()).filter((o) => o.startsWith("len-")).sort()).toEqual(["len-a", "len-b"]);
  });

  it("refuses a batch for another task under the key with 422", async () => {
    const first = await api.call("POST", "/api/v1/feedback/batch", [feedback("task-a")], keyed("fb-task"));
    expect(first.status).toBe(201);
    const elsewhere = await api.call(
      "POST",
      "/api/v1/feedback/batch",
      [{ ...feedback("task-a"), task_id: "summarize_ticket" }],
      keyed("fb-task"),
    );
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.detail).toMatch(/already used for a different request/);
    const other = (
      (await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback?limit=200")).body as {
        output: string;
      }[]
    ).map((f) => f.output);
    expect(other).not.toContain("task-a");
  });

  it("refuses a trace batch of another length under the key with 422, storing none of it", async () => {
    const trace = (text: string) => ({ task_id: "classify", prompt_text: text });
    const first = await api.call("POST", "/api/v1/traces", [trace("tr-a")], keyed("traces-len"));
    expect(first.status).toBe(201);
    const longer = await api.call(
      "POST",
      "/api/v1/traces",
      [trace("tr-a"), trace("tr-b")],
      keyed("traces-len"),
    );
    expect(longer.status).toBe(422);
    expect(longer.body.detail).toMatch(/Idempotency-Key "traces-len" was already used/);
    const replay = await api.call("POST", "/api/v1/traces", [trace("tr-a")], keyed("traces-len"));
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const stored: (string | null)[] = [];
    for await (const t of api.server.repo.store.readTraces("classify")) stored.push(t.prompt_text);
    expect(stored.filter((t) => t?.startsWith("tr-"))).toEqual(["tr-a"]);
  });

  it("never creates beta with alpha's key: 422, and beta does not exist", async () => {
    const alpha = await api.call("POST", "/api/v1/tasks", { name: "alpha" }, keyed("task-1"));
    expect(alpha.status).toBe(201);
    const beta = await api.call("POST", "/api/v1/tasks", { name: "beta" }, keyed("task-1"));
    expect(beta.status).toBe(422);
    expect(beta.body.detail).toMatch(/already used for a different request/);
    expect((await api.call("GET", "/api/v1/tasks/beta")).status).toBe(404);
    const replay = await api.call("POST", "/api/v1/tasks", { name: "alpha" }, keyed("task-1"));
    expect(replay).toMatchObject({ status: 201, body: { name: "alpha" } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });

  it("scopes a key to the resource: a task named by its name and by its id is one scope", async () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({
      task_id: "summarize_ticket",
      inputs: { ticket: `ticket ${i}` },
      output: `summary ${i}`,
      score: i % 2,
    }));
    expect((await api.call("POST", "/api/v1/feedback/batch", entries)).status).toBe(201);
    const byName = await api.call(
      "POST",
      "/api/v1/tasks/summarize_ticket/optimize",
      undefined,
      keyed("opt-1"),
    );
    const id = taskId("local", "summarize_ticket");
    const byId = await api.call(
      "POST",
      `/api/v1/tasks/${id.toUpperCase()}/optimize`,
      undefined,
      keyed("opt-1"),
    );
    expect(byName.status, JSON.stringify(byName.body)).toBe(202);
    expect(byId.status).toBe(byName.status);
    expect(byId.body).toEqual(byName.body);
    expect(byId.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("two clients that reuse one Idempotency-Key", () => {
  it("store each client's own entry: ids derive from the client's scope too", async () => {
    const admin = { authorization: `Bearer ${api.server.apiKey}` };
    const second = (await api.call("POST", "/api/v1/keys", {}, admin)).body.key as string;
    const fromFirst = await api.call("POST", "/api/v1/feedback", feedback("client-1"), keyed("shared"));
    const fromSecond = await api.call(
      "POST",
      "/api/v1/feedback",
      feedback("client-2"),
      keyed("shared", { "x-api-key": second }),
    );
    expect(fromFirst.status).toBe(201);
    expect(fromSecond.status).toBe(201);
    expect(fromSecond.headers.get("idempotent-replayed")).toBeNull();
    expect(fromSecond.body.id).not.toBe(fromFirst.body.id);
    expect((await outputsOf()).filter((o) => o.startsWith("client-")).sort()).toEqual([
      "client-1",
      "client-2",
    ]);
  });
});
