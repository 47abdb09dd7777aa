/**
 * Refuse first (#11): while one optimize attempt for a task is under way on this server, another
 * request for that task is answered 409 at once, without waiting for the attempt. The attempt is
 * held at a gate the test opens, so nothing here depends on timing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobRef } from "../../src/jobs/index.js";
import { MIN_USABLE } from "../../src/optimizer/dataset.js";
import { feedbackBatch } from "../helpers/records.js";
import { logUsableFeedback, startTestApi, type TestApi } from "./helpers/local-api.js";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
  await logUsableFeedback(api, "summarize_ticket");
});
afterEach(async () => api.close());

/** A promise the test resolves, and one that says when the held code reached it. */
function gate(): { open: () => void; opened: Promise<void>; reach: () => void; reached: Promise<void> } {
  let open!: () => void;
  let reach!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return { open, opened, reach, reached };
}

const optimize = () => api.call("POST", "/api/v1/tasks/summarize_ticket/optimize");

describe("POST optimize while an attempt for the task is under way on this server", () => {
  it("answers 409 at once while the attempt makes its estimate", async () => {
    await api.call("POST", "/api/v1/feedback", {
      task_id: "summarize_ticket",
      inputs: { ticket: "t" },
      score: 1,
    });
    // The estimate reads the task's feedback on a thread of its own; the attempt waits for it.
    const repo = api.server.repo;
    const estimate = repo.estimate!;
    const held = gate();
    repo.estimate = async (task) => {
      held.reach();
      await held.opened;
      return estimate(task);
    };

    const first = optimize();
    await held.reached;
    // The attempt is stopped inside its estimate: a request that waited for it would never answer.
    const second = await optimize();
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(
      /an optimization of task summarize_ticket is being started on this server \(no job written yet/,
    );
    expect(second.headers.get("retry-after")).toBe("5");
    // By the task's id too: the same task.
    const byId = await api.call("GET", "/api/v1/tasks/summarize_ticket");
    expect((await api.call("POST", `/api/v1/tasks/${byId.body.id}/optimize`)).status).toBe(409);

    held.open();
    const started = await first;
    expect(started.status).toBe(202);
    // Once the attempt ended, the stored one-in-flight rule answers, naming the job.
    const later = await optimize();
    expect(later.status).toBe(409);
    expect(later.body.detail).toContain(`job ${started.body.job.id} in flight`);
    expect((await api.call("GET", "/api/v1/jobs?task_id=summarize_ticket")).body).toHaveLength(1);
  });

  it("names the job once the attempt has written it, while it is being dispatched", async () => {
    const worker = api.server.worker;
    const dispatch = worker.dispatch.bind(worker);
    const held = gate();
    worker.dispatch = async (ref: JobRef) => {
      held.reach();
      await held.opened;
      await dispatch(ref);
    };

    const first = optimize();
    await held.reached;
    const second = await optimize();
    expect(second.status).toBe(409);
    const [job] = (await api.call("GET", "/api/v1/jobs?task_id=summarize_ticket")).body;
    expect(second.body.detail).toContain(`job ${job.id} was created and is being dispatched`);

    held.open();
    expect((await first).body.job.id).toBe(job.id);
  });

  it("starts one job for another task meanwhile", async () => {
    const store = api.server.repo.store;
    const readFeedback = store.readFeedback.bind(store);
    const held = gate();
    store.readFeedback = async function* (task, options) {
      if (task === "summarize_ticket") {
        held.reach();
        await held.opened;
      }
      yield* readFeedback(task, options);
    };
    // classify's own usable feedback, written past the API (its threshold of 3 would start a job).
    await store.appendFeedback("classify", feedbackBatch("classify", 0, MIN_USABLE), {
      retentionLimit: 1000,
    });
    const first = optimize();
    await held.reached;
    expect((await api.call("POST", "/api/v1/tasks/classify/optimize")).status).toBe(202);
    held.open();
    expect((await first).status).toBe(202);
  });
});

describe("POST optimize on feedback that spells a model's special token", () => {
  it("counts `<|endoftext|>` as the text it is, and starts the job (it was a 500)", async () => {
    const stored = await api.call("POST", "/api/v1/feedback", {
      task_id: "summarize_ticket",
      inputs: { ticket: "the bot answered <|endoftext|> and stopped" },
      output: "<|im_start|>assistant",
      score: 0,
    });
    expect(stored.status).toBe(201);
    const started = await optimize();
    expect(started.status).toBe(202);
    expect(started.body.cost_estimate.estimated_cost_usd).toBeGreaterThan(0);
  });
});
