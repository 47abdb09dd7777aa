/**
 * Job records are pruned: a task keeps its newest JOBS_KEPT jobs, so `getJob` (which lists every
 * task's `jobs/`) and the in-flight check of `createJob` (which reads all of a task's records) no
 * longer grow with every job ever run. A job in flight and the job of the task's pull request are
 * never pruned.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { Job } from "../../src/core/records.js";
import { createJob } from "../../src/jobs/index.js";
import { layout } from "../../src/store/layout.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";
import { JOBS_KEPT, pruneJobRecords } from "../../src/store/retention.js";
import { MIN_USABLE } from "../../src/optimizer/dataset.js";
import { feedbackBatch, pendingJob } from "../helpers/records.js";

let dir: string;
let store: LocalGitStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kaizen-job-retention-"));
  await initRepository(dir, {
    ".kaizen/tasks/tiny.yml": "name: tiny\nfeedback_threshold: 1000\nprompt_path: prompts/tiny.md\n",
    "prompts/tiny.md": "Answer {{question}}\n",
  });
  store = await LocalGitStore.open(dir);
  // A job is created only for a task with the usable minimum of feedback.
  await store.appendFeedback("tiny", feedbackBatch("tiny", 0, MIN_USABLE), { retentionLimit: 1000 });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** `count` jobs of task tiny, oldest first (UUIDv7 ids sort by creation), written in one commit. */
async function earlierJobs(count: number, overrides: (i: number) => Partial<Job>): Promise<Job[]> {
  const jobs = Array.from({ length: count }, () => pendingJob("tiny")).sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  const written = jobs.map((job, i) => ({ ...job, status: "SUCCESS" as const, ...overrides(i) }));
  await store.transact("earlier jobs", (tx) => {
    for (const job of written) tx.writeJson(layout.job("tiny", job.id), Job, job);
  });
  return written;
}

it("keeps a task's newest jobs and the job of its pull request when the next job starts", async () => {
  const prUrl = "https://github.com/acme/support/pull/7";
  // Job 2 shipped the task's pull request; the 9 after it found no improvement, or failed.
  const earlier = await earlierJobs(JOBS_KEPT + 9, (i) =>
    i === 2 ? { pr_url: prUrl } : i % 2 === 0 ? {} : { status: "FAILED", error_message: "no key" },
  );

  const outcome = await createJob(store, { repoKey: "local", task: "tiny", triggeredBy: "manual" });
  expect(outcome.created).toBe(true);

  const kept = await store.listJobs("tiny");
  expect(kept).toHaveLength(JOBS_KEPT + 1);
  const newest = earlier.slice(-(JOBS_KEPT - 1)).map((j) => j.id);
  expect(new Set(kept.map((j) => j.id))).toEqual(
    new Set([...newest, earlier[2]!.id, outcome.created ? outcome.job.id : ""]),
  );
  // A pruned job is gone for every reader; the pull request's job still answers its webhook.
  expect(await store.getJob(earlier[0]!.id)).toBeNull();
  expect((await store.getJob(earlier[2]!.id))?.job.pr_url).toBe(prUrl);
});

it("never prunes a job in flight", async () => {
  const earlier = await earlierJobs(JOBS_KEPT + 5, (i) =>
    i === 1 ? { status: "RUNNING", started_at: new Date().toISOString() } : {},
  );
  const pruned = await store.transact("prune", (tx) =>
    pruneJobRecords(
      tx,
      earlier.map((job) => ({ path: layout.job("tiny", job.id), job })),
    ),
  );
  // 55 records, 49 newest kept (the job being created is the 50th): 6 older, one of them running.
  expect(pruned).toBe(5);
  const left = new Set((await store.listJobs("tiny")).map((j) => j.id));
  expect(left.has(earlier[1]!.id)).toBe(true);
  expect(left.has(earlier[0]!.id)).toBe(false);
});

it("refuses to start a job while one is in flight, and deletes nothing then", async () => {
  await earlierJobs(JOBS_KEPT + 5, (i) => (i === JOBS_KEPT + 4 ? { status: "PENDING" } : {}));
  const outcome = await createJob(store, { repoKey: "local", task: "tiny", triggeredBy: "manual" });
  expect(outcome.created).toBe(false);
  expect(await store.listJobs("tiny")).toHaveLength(JOBS_KEPT + 5);
});
