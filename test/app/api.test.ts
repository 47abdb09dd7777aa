import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { transition } from "../../src/core/job-state.js";
import { taskId } from "../../src/core/ids.js";
import { newId } from "../../src/core/ids.js";
import type { Job } from "../../src/core/records.js";
import type { Store } from "../../src/store/store.js";
import { DATA_BRANCH } from "../../src/store/layout.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { MIN_USABLE } from "../../src/optimizer/dataset.js";
import { logUsableFeedback, startTestApi, type TestApi } from "./helpers/local-api.js";

const run = promisify(execFile);
const feedback = (n: number, extra: Record<string, unknown> = {}) => ({
  task_id: "summarize_ticket",
  inputs: { ticket: `ticket ${n}` },
  output: `summary ${n}`,
  score: 0.5,
  ...extra,
});

describe("the HTTP API of kaizen serve", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => api.close());

  describe("authentication", () => {
    it("answers 401 without a key or with a wrong one, and never reveals more", async () => {
      expect(await api.call("GET", "/api/v1/tasks", undefined, { "x-api-key": "" })).toMatchObject({
        status: 401,
        body: { detail: "missing X-API-Key header" },
      });
      const forged = api.server.apiKey.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
      expect(await api.call("GET", "/api/v1/tasks", undefined, { "x-api-key": forged })).toMatchObject({
        status: 401,
        body: { detail: "invalid API key" },
      });
      expect(
        await api.call("GET", "/api/v1/tasks", undefined, { "x-api-key": "kaizen_abc123" }),
      ).toMatchObject({ status: 401 });
    });

    it("creates a key for a repository admin, shows it once, and revokes it", async () => {
      const refused = await api.call("POST", "/api/v1/keys", {}, { authorization: "Bearer nope" });
      expect(refused.status).toBe(401);
      const created = await api.call(
        "POST",
        "/api/v1/keys",
        {},
        { authorization: `Bearer ${api.server.apiKey}` },
      );
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^kz_local_[0-9a-f]{32}_/);
      expect(created.body).not.toHaveProperty("hash");
      expect(
        (await api.call("GET", "/api/v1/tasks", undefined, { "x-api-key": created.body.key })).status,
      ).toBe(200);
      expect(
        (
          await api.call("DELETE", `/api/v1/keys/${created.body.id}`, undefined, {
            authorization: `Bearer ${api.server.apiKey}`,
          })
        ).status,
      ).toBe(204);
      expect(
        (await api.call("GET", "/api/v1/tasks", undefined, { "x-api-key": created.body.key })).status,
      ).toBe(401);
      expect(
        (
          await api.call("DELETE", `/api/v1/keys/${created.body.id}`, undefined, {
            authorization: `Bearer ${api.server.apiKey}`,
          })
        ).status,
      ).toBe(404);
    });
    it("keeps a revocation's tombstone: an id in a path is one segment, decoded once, a UUID", async () => {
      const admin = { authorization: `Bearer ${api.server.apiKey}` };
      const created = await api.call("POST", "/api/v1/keys", {}, admin);
      const id = created.body.id as string;
      expect((await api.call("DELETE", `/api/v1/keys/${id}`, undefined, admin)).status).toBe(204);
      const store = api.server.repo.store;
      expect(await store.isKeyRevoked(id)).toBe(true);
      for (const [target, status] of [
        [`revoked%2F${id}`, 404],
        [`revoked%252F${id}`, 422],
        [`..%2Fkeys%2Frevoked%2F${id}`, 404],
        ["not-a-key", 422],
      ] as const) {
        const answer = await api.call("DELETE", `/api/v1/keys/${target}`, undefined, admin);
        expect(answer.status, target).toBe(status);
      }
      expect(await store.isKeyRevoked(id)).toBe(true);
    });
  });

  describe("tasks", () => {
    it("lists tasks with their derived fields, and finds one by name or id", async () => {
      const list = await api.call("GET", "/api/v1/tasks");
      expect(list.body.map((t: { name: string }) => t.name)).toEqual(["classify", "summarize_ticket"]);
      const id = taskId("local", "summarize_ticket");
      const byId = await api.call("GET", `/api/v1/tasks/${id}`);
      expect(byId.body).toMatchObject({
        id,
        name: "summarize_ticket",
        feedback_threshold: 50,
        feedback_count: 0,
        threshold_progress: "0/50",
        cost_budget: 1,
      });
      expect(await api.call("GET", "/api/v1/tasks/nope")).toMatchObject({
        status: 404,
        body: { detail: "task nope not found" },
      });
    });

    it("creates a task as a commit on the default branch, with its baseline prompt", async () => {
      const created = await api.call("POST", "/api/v1/tasks", {
        name: "triage",
        description: "Route tickets",
        schema_json: { type: "object" },
        feedback_threshold: 20,
        prompt_path: "prompts/triage.md",
        prompt: "Route: {{ticket}}\n",
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: "triage",
        task_schema: { type: "object" },
        feedback_threshold: 20,
      });
      const yaml = await readFile(path.join(api.dir, ".kaizen/tasks/triage.yml"), "utf8");
      expect(yaml).toContain("feedback_threshold: 20");
      const { stdout } = await run("git", ["status", "--porcelain"], { cwd: api.dir });
      expect(stdout).toBe("");
      expect((await api.call("GET", "/api/v1/tasks/triage/prompt")).body).toMatchObject({
        version_number: 1,
        status: "active",
        prompt_text: "Route: {{ticket}}\n",
      });
      expect(await api.call("POST", "/api/v1/tasks", { name: "triage" })).toMatchObject({
        status: 409,
        body: { detail: "task triage already exists: .kaizen/tasks/triage.yml" },
      });
    });

    it("answers 422 with the path of every bad field", async () => {
      const bad = await api.call("POST", "/api/v1/tasks", {
        name: "bad name!",
        feedback_threshold: -1,
        prompt_path: "../x",
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail.map((d: { loc: string[] }) => d.loc.join("."))).toEqual([
        "body.name",
        "body.feedback_threshold",
        "body.prompt_path",
      ]);
    });
  });

  describe("feedback", () => {
    it("stores an entry once it is committed, and a client id only once", async () => {
      const id = newId();
      const first = await api.call("POST", "/api/v1/feedback", feedback(1, { id }));
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        id,
        task_id: taskId("local", "summarize_ticket"),
        score: 0.5,
        source: "sdk",
      });
      const again = await api.call("POST", "/api/v1/feedback", feedback(2, { id }));
      expect(again.body).toEqual(first.body);
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket")).body.feedback_count).toBe(1);
    });

    it("stores a batch all or nothing, naming each bad entry's index and field", async () => {
      const bad = await api.call("POST", "/api/v1/feedback/batch", {
        feedback: [feedback(1), feedback(2, { score: 7 }), feedback(3), { ...feedback(4), task_id: "nope" }],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
        ["body", "feedback", 1, "score"],
        ["body", "feedback", 3, "task_id"],
      ]);
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback")).body).toEqual([]);
      const ok = await api.call("POST", "/api/v1/feedback/batch", [
        feedback(1),
        feedback(2),
        { ...feedback(3), task_id: "classify" },
      ]);
      expect(ok).toMatchObject({ status: 201, body: { added: 3, duplicates: 0 } });
      expect(ok.body.feedback.map((f: { output: string }) => f.output)).toEqual([
        "summary 1",
        "summary 2",
        "summary 3",
      ]);
      const tooMany = await api.call(
        "POST",
        "/api/v1/feedback/batch",
        Array.from({ length: 1001 }, (_, i) => feedback(i)),
      );
      expect(tooMany).toMatchObject({
        status: 422,
        body: { detail: [{ msg: "a batch holds 1 to 1000 entries, got 1001" }] },
      });
    });

    it("lists a task's feedback newest first with limit and offset", async () => {
      await api.call(
        "POST",
        "/api/v1/feedback/batch",
        Array.from({ length: 5 }, (_, i) => feedback(i)),
      );
      const page = await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback?limit=2&offset=1");
      expect(page.body.map((f: { output: string }) => f.output)).toEqual(["summary 3", "summary 2"]);
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback?limit=500")).status).toBe(422);
    });

    it("never answers bad input with a 500", async () => {
      expect(await api.call("POST", "/api/v1/feedback", "{not json")).toMatchObject({ status: 422 });
      expect(await api.call("POST", "/api/v1/feedback", [1, 2])).toMatchObject({ status: 422 });
      expect(
        await api.call("POST", "/api/v1/feedback", { task_id: 5, score: "high", inputs: "x" }),
      ).toMatchObject({ status: 422 });
      expect(
        await api.call("POST", "/api/v1/feedback", { ...feedback(1), output: "x".repeat(1_100_000) }),
      ).toMatchObject({ status: 413 });
      expect(await api.call("PUT", "/api/v1/feedback", {})).toMatchObject({ status: 405 });
      expect(await api.call("GET", "/api/v1/nothing")).toMatchObject({ status: 404 });
    });

    it("returns the first response to a repeated Idempotency-Key and does nothing again", async () => {
      const dataCommits = async () =>
        Number((await run("git", ["rev-list", "--count", "kaizen/data"], { cwd: api.dir })).stdout.trim());
      const headers = { "idempotency-key": "retry-1" };
      const first = await api.call("POST", "/api/v1/feedback", feedback(1), headers);
      const afterFirst = await dataCommits();
      const second = await api.call("POST", "/api/v1/feedback", feedback(1), headers);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      // Another body under the key is refused, never answered with the first one (Stripe's rule).
      expect((await api.call("POST", "/api/v1/feedback", feedback(2), headers)).status).toBe(422);
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket")).body.feedback_count).toBe(1);
      // Ingestion needs no response record: the entry's id comes from the key, so the retry wrote nothing.
      expect(await dataCommits()).toBe(afterFirst);

      const batch = { "idempotency-key": "batch-1" };
      const stored = await api.call("POST", "/api/v1/feedback/batch", [feedback(3), feedback(4)], batch);
      const retried = await api.call("POST", "/api/v1/feedback/batch", [feedback(3), feedback(4)], batch);
      expect(stored.body).toMatchObject({ added: 2, duplicates: 0 });
      expect(retried.body).toMatchObject({ feedback: stored.body.feedback, added: 0, duplicates: 2 });
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket")).body.feedback_count).toBe(3);
    });

    it("starts one job for concurrent retries of optimize with one Idempotency-Key, all given its response", async () => {
      await api.call(
        "POST",
        "/api/v1/feedback/batch",
        Array.from({ length: MIN_USABLE }, (_, i) => feedback(i)),
      );
      const headers = { "idempotency-key": "optimize-1" };
      const answers = await Promise.all(
        Array.from({ length: 3 }, () =>
          api.call("POST", "/api/v1/tasks/summarize_ticket/optimize", undefined, headers),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      expect(new Set(answers.map((a) => a.body.job.id)).size).toBe(1);
      const later = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize", undefined, headers);
      expect(later).toMatchObject({ status: 202, body: { job: { id: answers[0]!.body.job.id } } });
      expect(later.headers.get("idempotent-replayed")).toBe("true");
      expect((await api.call("GET", "/api/v1/jobs?task_id=summarize_ticket")).body).toHaveLength(1);
    });
  });

  describe("prompts", () => {
    it("serves the baseline as the active version, with an ETag that answers 304", async () => {
      const prompt = await api.call("GET", "/api/v1/tasks/summarize_ticket/prompt");
      expect(prompt.body).toMatchObject({
        version_number: 1,
        status: "active",
        prompt_text: expect.stringContaining("{{ticket}}"),
      });
      const again = await api.call("GET", "/api/v1/tasks/summarize_ticket/prompt", undefined, {
        "if-none-match": prompt.headers.get("etag")!,
      });
      expect(again.status).toBe(304);
    });

    it("activates another version and archives the active one", async () => {
      const baseline = (await api.call("GET", "/api/v1/tasks/summarize_ticket/prompt")).body;
      await api.server.repo.store.putPromptVersion("summarize_ticket", {
        ...baseline,
        id: newId(),
        version_number: 2,
        status: "candidate",
        prompt_text: "better",
      });
      const versions = (await api.call("GET", "/api/v1/tasks/summarize_ticket/prompts")).body;
      expect(versions.map((v: { version_number: number }) => v.version_number)).toEqual([2, 1]);
      const activated = await api.call(
        "POST",
        `/api/v1/tasks/summarize_ticket/prompts/${versions[0].id}/activate`,
      );
      expect(activated.body).toMatchObject({ version_number: 2, status: "active" });
      expect(
        (await api.call("GET", "/api/v1/tasks/summarize_ticket/prompts")).body.map(
          (v: { status: string }) => v.status,
        ),
      ).toEqual(["active", "archived"]);
      expect(
        (await api.call("POST", `/api/v1/tasks/summarize_ticket/prompts/${newId()}/activate`)).status,
      ).toBe(404);
    });
    it("refuses to activate an unknown version without recording anything (fuzz seed 625091144)", async () => {
      const { backend } = api.server.repo.store as LocalGitStore;
      const before = await backend.head(DATA_BRANCH);
      const refused = await api.call("POST", `/api/v1/tasks/summarize_ticket/prompts/G/activate`, {});
      expect(refused).toMatchObject({ status: 404, body: { detail: expect.stringContaining("G") } });
      expect(await backend.head(DATA_BRANCH)).toBe(before);
    });
  });

  describe("optimization and jobs", () => {
    it("starts one PENDING job with a cost estimate, and refuses a second while it is in flight", async () => {
      await api.call(
        "POST",
        "/api/v1/feedback/batch",
        Array.from({ length: 40 }, (_, i) => feedback(i)),
      );
      const started = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      expect(started.status).toBe(202);
      expect(started.body.job).toMatchObject({
        status: "PENDING",
        triggered_by: "api_on_demand",
        feedback_count: 40,
      });
      expect(started.body.cost_estimate).toMatchObject({
        train_size: 20,
        val_size: 12,
        teacher_model: "gpt-4o",
        judge_model: "gpt-4o-mini",
      });
      expect(started.body.cost_estimate.estimated_cost_usd).toBeGreaterThan(0);
      const second = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      expect(second).toMatchObject({
        status: 409,
        body: { detail: expect.stringContaining(started.body.job.id) },
      });
      expect((await api.call("GET", `/api/v1/jobs/${started.body.job.id}`)).body).toMatchObject({
        id: started.body.job.id,
        status: "PENDING",
      });
      expect(
        (await api.call("GET", `/api/v1/jobs?task_id=${taskId("local", "summarize_ticket")}`)).body,
      ).toHaveLength(1);
      expect((await api.call("GET", "/api/v1/jobs?task_id=classify")).body).toEqual([]);
      expect((await api.call("GET", `/api/v1/jobs/${newId()}`)).status).toBe(404);
      expect((await api.call("GET", "/api/v1/jobs?limit=201")).status).toBe(422);
    });

    it("warns when the estimate exceeds the task's cost_budget", async () => {
      await api.close();
      api = await startTestApi(
        {},
        {
          ".kaizen/tasks/summarize_ticket.yml":
            "name: summarize_ticket\nprompt_path: prompts/summarize_ticket.md\ncost_budget: 0.0001\nteacher_model: gpt-4.1\n",
        },
      );
      await api.call(
        "POST",
        "/api/v1/feedback/batch",
        Array.from({ length: 40 }, (_, i) => feedback(i)),
      );
      const started = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      expect(started.body.budget_warning).toMatch(/budget of \$0\.00 cannot pay for even 3 iterations/);
    });

    it("refuses retry-pr unless the job is PR_FAILED, and knows no job of another kind", async () => {
      await logUsableFeedback(api, "summarize_ticket");
      const started = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      expect(await api.call("POST", `/api/v1/jobs/${started.body.job.id}/retry-pr`)).toMatchObject({
        status: 409,
        body: { detail: expect.stringContaining("is PENDING") },
      });
      expect((await api.call("POST", `/api/v1/jobs/${newId()}/retry-pr`)).status).toBe(404);
    });

    it("answers retry-pr of a PR_FAILED job with 409 saying this server has no GitHub", async () => {
      await logUsableFeedback(api, "summarize_ticket");
      const started = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      const store = api.server.repo.store;
      const versions = await store.listPromptVersions("summarize_ticket");
      await store.updateJob(started.body.job.id, (job: Job) => ({
        ...job,
        status: "PR_FAILED",
        prompt_version_id: versions[0]!.id,
      }));
      expect(await api.call("POST", `/api/v1/jobs/${started.body.job.id}/retry-pr`)).toMatchObject({
        status: 409,
        body: { detail: expect.stringContaining("no GitHub connection") },
      });
    });

    it("starts one job, once, when a task's feedback reaches its threshold and the usable minimum", async () => {
      // classify's threshold is 3, below the 30 usable entries a search needs: past 3 it waits,
      // since a job started then could only end without doing its work.
      for (let i = 0; i < 5; i++)
        await api.call("POST", "/api/v1/feedback", {
          ...feedback(i),
          task_id: "classify",
          inputs: { text: `t${i}` },
        });
      expect((await api.call("GET", "/api/v1/jobs?task_id=classify")).body).toEqual([]);
      await logUsableFeedback(api, "classify", "text", MIN_USABLE - 5);
      // The trigger runs after the feedback's commit is acknowledged: poll for its job.
      let jobs: Job[] = [];
      for (let polls = 0; polls < 500 && jobs.length === 0; polls++) {
        jobs = (await api.call("GET", "/api/v1/jobs?task_id=classify")).body;
        if (jobs.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        status: "PENDING",
        triggered_by: "auto_threshold",
        feedback_count: 30,
      });
      await logUsableFeedback(api, "classify", "text", 2);
      expect((await api.call("GET", "/api/v1/jobs?task_id=classify")).body).toHaveLength(1);
      expect((await api.call("GET", "/api/v1/tasks/classify")).body.threshold_progress).toBe("2/3");
    });

    it("refuses optimize with 422 naming how many more entries are needed, before a job exists", async () => {
      await api.call("POST", "/api/v1/feedback/batch", [
        feedback(1),
        feedback(2),
        { ...feedback(3), output: null },
      ]);
      const refused = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toBe(
        "task summarize_ticket cannot be optimized yet: only 2 usable feedback entries (with a score, inputs and an output) out of 3; 28 more are needed before Kaizen can tell a better prompt from noise (log them with the SDK's log_feedback, or `kaizen feedback import`)",
      );
      expect((await api.call("GET", "/api/v1/jobs?task_id=summarize_ticket")).body).toEqual([]);
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket")).body.threshold_progress).toBe("3/50");
    });
  });

  describe("traces", () => {
    it("records single and batched traces, and a score turns one into feedback", async () => {
      const single = await api.call("POST", "/api/v1/traces", {
        task_id: "summarize_ticket",
        prompt_text: "Summarize: login",
        response_text: "Login fails.",
        model: "gpt-4o-mini",
        tokens: 12,
        latency_ms: 300,
        source_file: "app.ts",
        source_line: 7,
      });
      expect(single).toMatchObject({
        status: 201,
        body: { task_id: taskId("local", "summarize_ticket"), score: null, source_line: 7 },
      });
      const batch = await api.call("POST", "/api/v1/traces", {
        traces: [
          { task_id: "summarize_ticket", prompt_text: "a" },
          { task_id: "classify", prompt_text: "b" },
        ],
      });
      expect(batch.body.traces).toHaveLength(2);
      const scored = await api.call("POST", `/api/v1/traces/${single.body.id}/score`, {
        score: 0.85,
        scored_by: "human-review",
      });
      expect(scored.body).toMatchObject({ id: single.body.id, score: 0.85, scored_by: "human-review" });
      await api.call("POST", `/api/v1/traces/${single.body.id}/score`, {
        score: 0.85,
        scored_by: "human-review",
      });
      const feedbackList = (await api.call("GET", "/api/v1/tasks/summarize_ticket/feedback")).body;
      expect(feedbackList).toHaveLength(1);
      expect(feedbackList[0]).toMatchObject({
        output: "Login fails.",
        score: 0.85,
        source: "human-review",
        metadata: { trace_id: single.body.id },
      });
      expect((await api.call("POST", `/api/v1/traces/${newId()}/score`, { score: 1 })).status).toBe(404);
      expect(
        (await api.call("POST", "/api/v1/traces", { prompt_text: "no task" })).body.detail[0].loc,
      ).toEqual(["body", "task_id"]);
    });
  });

  it("reports health and Prometheus metrics", async () => {
    expect(await api.call("GET", "/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
    await api.call("POST", "/api/v1/feedback", feedback(1));
    const open = await api.call("GET", "/metrics", undefined, { "x-api-key": "" });
    expect(open.status).toBe(200);
    expect(open.body).not.toContain("local/");
    expect(open.body).toMatch(/^kaizen_commits_total [1-9]/m);
    const metrics = await api.call("GET", "/metrics");
    expect(metrics.body).toContain(
      'kaizen_http_requests_total{method="POST",route="/api/v1/feedback",status="201"} 1',
    );
    expect(metrics.body).toMatch(/kaizen_ingestion_queue_depth\{repo="local\/[^"]+"\} 0/);
    expect(metrics.body).toMatch(/kaizen_commits_total\{repo="local\/[^"]+"\} [1-9]/);
  });
});

describe("back-pressure", () => {
  it("answers 429 with Retry-After when the ingestion queue is full, losing nothing it accepted", async () => {
    const api = await startTestApi({ maxQueued: 2, minCommitIntervalMs: 1_000 });
    try {
      await api.call("POST", "/api/v1/feedback", feedback(0));
      const responses = await Promise.all(
        [1, 2, 3, 4].map((n) => api.call("POST", "/api/v1/feedback", feedback(n))),
      );
      const refused = responses.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.headers.get("retry-after")).toBe("1");
      expect(refused[0]!.body.detail).toMatch(/ingestion queue is full/);
      const accepted = responses.filter((r) => r.status === 201).length;
      expect((await api.call("GET", "/api/v1/tasks/summarize_ticket")).body.feedback_count).toBe(
        1 + accepted,
      );
    } finally {
      await api.close();
    }
  });
});

describe("the seeds' polling pattern", () => {
  it("polls GET /jobs/{id} until the local worker finishes the job", async () => {
    const runJob = async (store: Store, _task: string, job: Job) => {
      for (const [to, step] of [
        ["RUNNING", "Loading feedback"],
        ["EVALUATING", "Scoring the baseline"],
        ["COMPILING", "Searching"],
        ["SUCCESS", "No significant improvement"],
      ] as const) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.updateJob(job.id, (j) => transition(j, to, { progress_step: step }));
      }
    };
    const api = await startTestApi({ runJob });
    try {
      await logUsableFeedback(api, "summarize_ticket");
      const { body } = await api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");
      const seen: string[] = [];
      for (let polls = 0; polls < 200; polls++) {
        const job = (await api.call("GET", `/api/v1/jobs/${body.job.id}`)).body;
        if (seen.at(-1) !== job.status) seen.push(job.status);
        if (["SUCCESS", "FAILED", "PR_FAILED"].includes(job.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(seen[0]).toBe("PENDING");
      expect(seen.at(-1)).toBe("SUCCESS");
    } finally {
      await api.close();
    }
  });
});
