import { describe, expect, it } from "vitest";
import { FeedbackInput, Job, OptimizeResult, Task } from "../../src/core/records.js";

describe("the wire records", () => {
  it("ignores unknown fields when reading, as the seeds promise", () => {
    const task = Task.parse({
      id: "0b6e2ad4-6a3a-5c8e-9f43-0d7a51f2c0aa",
      name: "summarize",
      created_at: "2026-11-23T05:00:00Z",
      a_field_from_the_future: 1,
    });
    expect(task).not.toHaveProperty("a_field_from_the_future");
    expect(task).toMatchObject({ feedback_threshold: 50, feedback_count: 0, threshold_progress: "0/50" });
  });

  it("reads the Python clients' FAILURE as FAILED", () => {
    const job = Job.parse({
      id: "018f0000-0000-7000-8000-000000000001",
      task_id: "0b6e2ad4-6a3a-5c8e-9f43-0d7a51f2c0aa",
      status: "FAILURE",
      created_at: "2026-11-23T05:00:00Z",
    });
    expect(job.status).toBe("FAILED");
  });

  it("keeps a client-given feedback id and refuses a score outside [0, 1]", () => {
    const ok = FeedbackInput.parse({
      id: "018f0000-0000-7000-8000-000000000002",
      task_id: "summarize",
      output: "x",
      score: 1,
    });
    expect(ok.id).toBe("018f0000-0000-7000-8000-000000000002");
    const bad = FeedbackInput.safeParse({ task_id: "summarize", score: 1.5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["score"]);
  });

  it("parses an OptimizeResult as the seeds' trigger_optimization returns it", () => {
    const result = OptimizeResult.parse({
      job: {
        id: "018f0000-0000-7000-8000-000000000003",
        task_id: "0b6e2ad4-6a3a-5c8e-9f43-0d7a51f2c0aa",
        status: "PENDING",
        triggered_by: "api_on_demand",
        created_at: "2026-11-23T05:00:00Z",
      },
      cost_estimate: {
        estimated_cost_usd: 0.42,
        estimated_llm_calls: 310,
        train_size: 40,
        val_size: 20,
        max_trials: 12,
        teacher_model: "gpt-4o",
        judge_model: "gpt-4o-mini",
      },
    });
    expect(result.budget_warning).toBeNull();
    expect(result.job.status).toBe("PENDING");
  });
});
