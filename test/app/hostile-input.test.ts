/**
 * `kaizen serve` against input an attacker or a careless client sends: request targets that
 * `new URL()` refuses, malformed percent-escapes, task configurations the cost arithmetic cannot
 * price, and free-form JSON nested thousands of levels deep riding in a group commit.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Ingestion } from "../../src/app/ingestion.js";
import { CommitPacer } from "../../src/app/pacing.js";
import { MAX_JSON_DEPTH } from "../../src/app/api/json-limits.js";
import type { FeedbackResult } from "../../src/core/records.js";
import type { Store } from "../../src/store/store.js";
import { builtEntry } from "../helpers/built.js";
import { feedback } from "../helpers/records.js";
import { body, nested } from "./helpers/bodies.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";
import { rawRequest } from "./helpers/raw-http.js";

describe("kaizen serve and hostile input", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi(
      {},
      {
        ".kaizen/tasks/unpriced.yml":
          "name: unpriced\nstudent_model: acme-internal-9\nprompt_path: prompts/unpriced.txt\n",
        "prompts/unpriced.txt": "Answer: {{q}}\n",
        // Retention keeps every entry of the load below, and no optimization starts meanwhile.
        ".kaizen/tasks/summarize_ticket.yml":
          "name: summarize_ticket\nfeedback_retention_limit: 20000\nfeedback_threshold: 100000\nprompt_path: prompts/summarize_ticket.md\n",
      },
    );
  });
  afterEach(async () => api.close());

  it("answers 400 to request targets new URL() refuses, and keeps serving", async () => {
    for (const target of ["//", "//[", "http://x:99999/"]) {
      const answer = await rawRequest(api.server.url, `GET ${target} HTTP/1.1`);
      expect(answer.status, target).toBe(400);
      expect(answer.body, target).toContain("is not a valid URL path");
    }
    expect((await api.call("GET", "/healthz")).status).toBe(200);
  });

  it("answers 400 to a malformed percent-escape before authentication", async () => {
    const answer = await api.call("DELETE", "/api/v1/keys/%ZZ", undefined, { "x-api-key": "" });
    expect(answer).toMatchObject({ status: 400, body: { detail: expect.stringContaining("%ZZ") } });
    expect((await api.call("GET", "/api/v1/tasks/%E0%A4%A")).status).toBe(400);
  });

  it("answers 422 naming the task file and field when a task's model has no known price", async () => {
    const answer = await api.call("POST", "/api/v1/tasks/unpriced/optimize");
    expect(answer.status).toBe(422);
    expect(answer.body.detail[0]).toMatchObject({
      loc: ["task_file", ".kaizen/tasks/unpriced.yml", "model_prices"],
      msg: expect.stringContaining("acme-internal-9"),
    });
    // Nothing was started.
    expect(await api.server.repo.store.listJobs("unpriced")).toEqual([]);
  });

  it("refuses free-form JSON nested deeper than the limit with a 422 naming the field and the limit", async () => {
    const deep = await api.call(
      "POST",
      "/api/v1/feedback",
      body({ task_id: "summarize_ticket", score: 1 }, { inputs: nested(5_000) }),
    );
    expect(deep.status).toBe(422);
    expect(deep.body.detail).toEqual([
      {
        loc: ["body", "inputs"],
        msg: `nests deeper than ${MAX_JSON_DEPTH} levels (the limit for free-form JSON); flatten it`,
        type: "too_deep",
      },
    ]);
    const batch = await api.call(
      "POST",
      "/api/v1/feedback/batch",
      `{"feedback":[{"task_id":"summarize_ticket","score":1},${body({ task_id: "summarize_ticket", score: 1 }, { metadata: nested(3_000) })}]}`,
    );
    expect(batch.status).toBe(422);
    expect(batch.body.detail[0].loc).toEqual(["body", "feedback", 1, "metadata"]);
    // Nesting within the limit is stored as given.
    const fine = await api.call(
      "POST",
      "/api/v1/feedback",
      body({ task_id: "summarize_ticket", score: 1 }, { inputs: nested(MAX_JSON_DEPTH - 2) }),
    );
    expect(fine.status).toBe(201);
  });
});

describe("a group commit with one request at fault", () => {
  it("fails only that request; every other request of the group is stored", async () => {
    const committed: string[] = [];
    // A store that refuses any commit holding the poisoned entry, as a store fails on a record
    // it cannot write; everything else is committed.
    const store = {
      async appendFeedback(_task: string, records: readonly FeedbackResult[]) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (records.some((r) => r.output === "poison"))
          throw new RangeError("Maximum call stack size exceeded");
        committed.push(...records.map((r) => r.id));
        return {
          records: [...records],
          added: records.length,
          duplicates: 0,
          evicted: 0,
          commit: "c",
          state: {},
        };
      },
    } as unknown as Store;
    const ingestion = new Ingestion(store, { pacer: new CommitPacer("test", 20), maxQueued: 10_000 });
    const entries = Array.from({ length: 40 }, (_, i) =>
      feedback("t", i, { output: i === 17 ? "poison" : `ok ${i}` }),
    );
    const outcomes = await Promise.allSettled(
      entries.map((entry) => ingestion.addFeedback("t", [entry], 1_000)),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(1);
    expect(outcomes[17]!.status).toBe("rejected");
    expect(committed.sort()).toEqual(
      entries
        .filter((_, i) => i !== 17)
        .map((e) => e.id)
        .sort(),
    );
  });
});

describe("an unexpected rejection in the server process", () => {
  it("is logged and the process keeps serving", async () => {
    const child = spawn(process.execPath, [builtEntry("test-helpers/reject-process")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const url = /READY (\S+)/.exec(line.toString())![1]!;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(child.exitCode).toBeNull();
      expect(stderr).toContain("unexpected rejection (Kaizen keeps serving)");
      expect(stderr).toContain("a background task nobody awaited");
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);
});
