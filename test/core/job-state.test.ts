import { describe, expect, it } from "vitest";
import { IllegalTransitionError } from "../../src/core/errors.js";
import { newId, taskId } from "../../src/core/ids.js";
import { canTransition, isInFlight, transition } from "../../src/core/job-state.js";
import { JOB_STATUSES } from "../../src/core/records.js";
import { pendingJob as pendingJobOf } from "../helpers/records.js";

const pendingJob = () =>
  pendingJobOf("summarize", { feedback_count: 50, created_at: "2026-11-23T05:00:00.000Z" });

describe("the job state machine", () => {
  it("walks the happy path and stamps start and completion", () => {
    const t0 = new Date("2026-11-23T06:00:00Z");
    const t1 = new Date("2026-11-23T06:05:00Z");
    let job = transition(pendingJob(), "RUNNING", { progress_step: "Loading feedback" }, t0);
    job = transition(job, "EVALUATING", {}, t1);
    job = transition(job, "COMPILING", {}, t1);
    job = transition(job, "SUCCESS", { pr_url: "https://github.com/o/r/pull/1" }, t1);
    expect(job).toMatchObject({
      status: "SUCCESS",
      started_at: t0.toISOString(),
      completed_at: t1.toISOString(),
      pr_url: "https://github.com/o/r/pull/1",
    });
  });

  it("refuses an illegal move with an error that names both states", () => {
    expect(() => transition(pendingJob(), "COMPILING")).toThrow(
      new IllegalTransitionError("PENDING", "COMPILING"),
    );
    expect(() => transition(pendingJob(), "COMPILING")).toThrow(
      "a job cannot move from PENDING to COMPILING",
    );
  });

  it("never leaves a final state", () => {
    for (const to of JOB_STATUSES) {
      expect(canTransition("SUCCESS", to)).toBe(false);
      expect(canTransition("FAILED", to)).toBe(false);
    }
  });

  it("lets any unfinished job fail, and retry-pr finish a PR_FAILED one", () => {
    for (const from of ["PENDING", "RUNNING", "EVALUATING", "COMPILING"] as const)
      expect(canTransition(from, "FAILED")).toBe(true);
    expect(canTransition("PR_FAILED", "SUCCESS")).toBe(true);
    expect(canTransition("PENDING", "PR_FAILED")).toBe(false);
  });

  it("counts only unfinished jobs as in flight", () => {
    expect(JOB_STATUSES.filter(isInFlight)).toEqual(["PENDING", "RUNNING", "EVALUATING", "COMPILING"]);
  });
});

describe("ids", () => {
  it("derives a task id from repository and name, stable and distinct", () => {
    expect(taskId(123, "summarize")).toBe(taskId(123, "summarize"));
    expect(taskId(123, "summarize")).not.toBe(taskId(124, "summarize"));
    expect(taskId(123, "summarize")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
  });

  it("gives other records time-ordered UUIDv7 ids", () => {
    const ids = Array.from({ length: 50 }, () => newId());
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
