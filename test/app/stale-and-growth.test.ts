/**
 * Decisions made on stale data, reads that grew with the data branch, what the branch keeps,
 * and keys that must stop working.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IDEMPOTENCY_WINDOW_MS, recall, remember } from "../../src/app/idempotency.js";
import { transition } from "../../src/core/job-state.js";
import { newId } from "../../src/core/ids.js";
import { DATA_BRANCH } from "../../src/store/layout.js";
import { LocalGitStore } from "../../src/store/local-git-store.js";
import { LEDGERS_KEPT } from "../../src/store/retention.js";
import { createJob } from "../../src/jobs/index.js";
import { startLocalServer } from "../../src/app/local.js";
import { logUsableFeedback, startTestApi, type TestApi } from "./helpers/local-api.js";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi(
    {},
    {
      ".kaizen/tasks/tiny.yml":
        "name: tiny\nfeedback_retention_limit: 3\nfeedback_threshold: 1000\nprompt_path: prompts/classify.txt\n",
    },
  );
  // Enough to search: a job is created only for a task with the usable minimum.
  await logUsableFeedback(api, "summarize_ticket");
});
afterEach(async () => api.close());

/** Every file on the data branch, as another process would see it. */
async function dataFiles(): Promise<string[]> {
  const store = await LocalGitStore.open(api.dir);
  const head = await store.backend.head(DATA_BRANCH);
  return head ? [...(await store.backend.listFiles(head, "")).keys()] : [];
}

describe("decisions re-checked against the current head", () => {
  it("starts a job once another writer finished the one in flight, instead of answering 409", async () => {
    const first = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
    expect(first.status).toBe(202);
    // Another writer (an Action, another instance) fails job J; this server has not written since.
    const other = await LocalGitStore.open(api.dir);
    await other.updateJob(first.body.job.id, (job) =>
      transition(job, "FAILED", { error_message: "runner died" }),
    );
    const again = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
    expect(again.status).toBe(202);
    expect(again.body.job.id).not.toBe(first.body.job.id);
  });

  it("re-checks a refusal made inside a transaction from a remembered head", async () => {
    const store = api.server.repo.store;
    const j = await createJob(store, { repoKey: "local", task: "summarize_ticket", triggeredBy: "manual" });
    expect(j.created).toBe(true);
    const other = await LocalGitStore.open(api.dir);
    if (!j.created) return;
    await other.updateJob(j.job.id, (job) => transition(job, "FAILED", { error_message: "gone" }));
    expect(
      (await createJob(store, { repoKey: "local", task: "summarize_ticket", triggeredBy: "manual" })).created,
    ).toBe(true);
  });

  it("answers 50 concurrent optimize requests with one job and 409 for the rest", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => api.call("POST", "/api/v1/tasks/summarize_ticket/optimize")),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(49);
  });
});

describe("reads that stop early", () => {
  it("serves the newest page of feedback newest first, and finds a trace to score", async () => {
    for (let i = 0; i < 3; i++)
      await api.call("POST", "/api/v1/feedback/batch", {
        feedback: Array.from({ length: 5 }, (_, k) => ({
          task_id: "summarize_ticket",
          inputs: { ticket: `t${i * 5 + k}` },
          score: 1,
        })),
      });
    const page = await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback?limit=4&offset=3");
    expect(page.body.map((f: { inputs: { ticket: string } }) => f.inputs.ticket)).toEqual([
      "t11",
      "t10",
      "t9",
      "t8",
    ]);
    const trace = await api.call("POST", "/api/v1/traces", {
      task_id: "classify",
      prompt_text: "Classify: x",
      response_text: "billing",
      model: "gpt-4o-mini",
    });
    const scored = await api.call(
      "POST",
      `/api/v1/traces/${trace.body.id}/score`,
      { score: 1 },
      {
        "idempotency-key": "score-1",
      },
    );
    expect(scored).toMatchObject({ status: 200, body: { id: trace.body.id, score: 1 } });
    expect((await api.call("POST", `/api/v1/traces/${newId()}/score`, { score: 1 })).status).toBe(404);
    // Scoring is idempotent by its ids: it writes no idempotency record of its own.
    expect((await dataFiles()).filter((f) => f.startsWith("idempotency/"))).toEqual([]);
  });
});

describe("pages deep in the log", () => {
  it("reads only the segment a page returns, passing over the newer ones by their counts", async () => {
    const backend = (api.server.repo.store as LocalGitStore).backend;
    const segmentsNow = async () =>
      [...(await backend.listFiles((await backend.head(DATA_BRANCH))!, "feedback/summarize_ticket"))].sort();
    const older = (await segmentsNow()).length;
    for (let i = 0; i < 10; i++)
      await api.call("POST", "/api/v1/feedback/batch", {
        feedback: Array.from({ length: 5 }, (_, k) => ({
          task_id: "summarize_ticket",
          inputs: { ticket: `t${i * 5 + k}` },
          score: 1,
        })),
      });
    // The ten segments written here, oldest first, after those the setup wrote.
    const segments = (await segmentsNow()).slice(older);
    expect(segments).toHaveLength(10);
    const read: string[] = [];
    const readBlob = backend.readBlob.bind(backend);
    backend.readBlob = (sha: string) => {
      read.push(sha);
      return readBlob(sha);
    };
    // Newest first, 41 passed over: t8 … t5, all in the second segment written.
    const page = await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback?limit=4&offset=41");
    expect(page.body.map((f: { inputs: { ticket: string } }) => f.inputs.ticket)).toEqual([
      "t8",
      "t7",
      "t6",
      "t5",
    ]);
    const segmentsRead = async () =>
      (await segmentsNow()).filter(([, sha]) => read.includes(sha)).map(([path]) => path);
    expect(await segmentsRead()).toEqual([segments[1]![0]]);
    // A page that straddles two segments reads those two.
    read.length = 0;
    const straddling = await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback?limit=4&offset=43");
    expect(straddling.body.map((f: { inputs: { ticket: string } }) => f.inputs.ticket)).toEqual([
      "t6",
      "t5",
      "t4",
      "t3",
    ]);
    expect(await segmentsRead()).toEqual([segments[0]![0], segments[1]![0]]);
  });
});

describe("what the data branch keeps", () => {
  it("expires idempotency records after 24 hours, in the commit of a newer one", async () => {
    const store = api.server.repo.store;
    const day = new Date("2026-11-20T10:30:00Z");
    await remember(store, "POST /x", "old", 202, { n: 1 }, day);
    expect(await recall(store, "POST /x", "old", day.getTime() + 1_000)).toMatchObject({ body: { n: 1 } });
    const later = new Date(day.getTime() + IDEMPOTENCY_WINDOW_MS + 2 * 3_600_000);
    await remember(store, "POST /x", "new", 202, { n: 2 }, later);
    const files = (await dataFiles()).filter((f) => f.startsWith("idempotency/"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^idempotency\/2026112\d{3}\/[0-9a-f]{64}\.json$/);
    expect(await recall(store, "POST /x", "old", later.getTime())).toBeNull();
  });

  it("keeps the newest feedback_retention_limit traces of a task, and the ledgers of its newest jobs", async () => {
    for (let i = 0; i < 5; i++)
      await api.call("POST", "/api/v1/traces", {
        task_id: "tiny",
        prompt_text: `p${i}`,
        response_text: "r",
        model: "m",
      });
    const traces = [];
    for await (const t of api.server.repo.store.readTraces("tiny")) traces.push(t.prompt_text);
    expect(traces).toEqual(["p2", "p3", "p4"]);

    // The ledgers of 23 finished jobs; starting the next job deletes all but the newest 20.
    const store = api.server.repo.store;
    const finished = Array.from({ length: LEDGERS_KEPT + 3 }, () => newId()).sort();
    await store.transact("ledgers of earlier jobs", (tx) => {
      for (const id of finished) tx.write(`jobs/summarize_ticket/${id}.ledger.jsonl`, "{}\n");
    });
    expect(
      (await createJob(store, { repoKey: "local", task: "summarize_ticket", triggeredBy: "manual" })).created,
    ).toBe(true);
    const ledgers = (await dataFiles()).filter((f) => f.endsWith(".ledger.jsonl"));
    expect(ledgers).toEqual(finished.slice(3).map((id) => `jobs/summarize_ticket/${id}.ledger.jsonl`));
  });
});

describe("revoked keys", () => {
  it("stop at once on the instance that revoked, and the server's own key stays revoked across a restart", async () => {
    const admin = { authorization: `Bearer ${api.server.apiKey}` };
    const own = (await api.server.repo.store.listKeys()).find((k) => api.server.apiKey.startsWith(k.prefix));
    expect(own).toBeDefined();
    expect((await api.call("DELETE", `/api/v1/keys/${own!.id}`, undefined, admin)).status).toBe(204);
    expect((await api.call("GET", "/api/v1/tasks")).status).toBe(401);
    expect((await api.call("POST", "/api/v1/keys", {}, admin)).status).toBe(401);
    await expect(startLocalServer({ repoDir: api.dir, port: 0, apiKey: api.server.apiKey })).rejects.toThrow(
      /was revoked/,
    );
  });
});

describe("/metrics", () => {
  it("lists no repository's name without credentials", async () => {
    const open = await api.call("GET", "/metrics", undefined, { "x-api-key": "" });
    expect(open.status).toBe(200);
    expect(open.body).not.toMatch(/repo="/);
    expect((await api.call("GET", "/metrics", undefined, { "x-api-key": "kz_nope" })).status).toBe(401);
  });
});

describe("the server's limits on slow and idle clients", () => {
  it("sets headers, request and keep-alive timeouts (the connection caps: connection-flood.test.ts)", async () => {
    const { DEFAULT_LIMITS, createKaizenServer } = await import("../../src/app/http-server.js");
    const server = createKaizenServer(
      () => {},
      () => {},
    );
    expect(server.headersTimeout).toBe(DEFAULT_LIMITS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(DEFAULT_LIMITS.requestTimeoutMs);
    expect(server.keepAliveTimeout).toBe(DEFAULT_LIMITS.keepAliveTimeoutMs);
  });
});
