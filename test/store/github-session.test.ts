/**
 * The store over a client with a ref session (one Action run, `createGitHubClient({ session:
 * true })`): it reads the data branch as of its own last read or write, and its writes stay
 * compare-and-swap, so racing runs lose nothing and a run never writes over what another
 * process wrote (a cancel) without seeing it first.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { transition } from "../../src/core/job-state.js";
import { createGitHubClient } from "../../src/github/client.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { collect, feedbackBatch, pendingJob } from "../helpers/records.js";

let github: FakeGitHub;
let repoNumber = 0;
beforeAll(async () => {
  github = await FakeGitHub.start();
  // Racing writers squeeze minutes of writes into seconds here.
  github.limits.contentPerMinute = Infinity;
});
afterAll(async () => {
  github.assertClean();
  await github.close();
});

function world() {
  const name = `session-${++repoNumber}`;
  github.createRepo(`acme/${name}`);
  const repo = { owner: "acme", repo: name };
  const session = () =>
    new GitHubStore(
      createGitHubClient({
        auth: "ghs_run",
        baseUrl: github.baseUrl,
        retry: false,
        throttle: false,
        session: true,
        log: { warn: () => {} },
      }),
      repo,
    );
  return { session, plain: () => new GitHubStore(testOctokit(github), repo) };
}

it("racing runs with sessions lose and duplicate no feedback", async () => {
  const { session, plain } = world();
  const runs = [session(), session(), session(), plain()];
  const all = feedbackBatch("summarize", 0, 200);
  await Promise.all(
    runs.map(async (store, r) => {
      for (let b = 0; b < 5; b++) {
        const from = r * 50 + b * 10;
        await store.appendFeedback("summarize", all.slice(from, from + 10), { retentionLimit: 10_000 });
      }
    }),
  );
  const stored = await collect(plain().readFeedback("summarize"));
  expect(stored.map((f) => f.id).sort()).toEqual(all.map((f) => f.id).sort());
  expect((await plain().getTaskState("summarize"))?.feedback_total).toBe(200);
});

it("reads as of its own last write without asking, and a write from a stale head sees the other writer's cancel", async () => {
  const { session, plain } = world();
  const run = session();
  const job = pendingJob("summarize");
  await run.putJob("summarize", job);
  await run.updateJob(job.id, (j) => transition(j, "RUNNING", {}, new Date()));

  github.resetCounts();
  expect((await run.getJob(job.id))?.job.status).toBe("RUNNING");
  expect(github.count()).toBe(0);

  // Someone cancels the job meanwhile (the app, a person): the run's view is now stale.
  await plain().updateJob(job.id, (j) =>
    transition(j, "FAILED", { error_message: "cancelled by API key kz_1…" }, new Date()),
  );
  expect((await run.getJob(job.id))?.job.status).toBe("RUNNING");
  // Its next write (a heartbeat) is refused by the branch's compare-and-swap, re-read, and
  // finds the job ended: nothing is written over the cancel.
  const seen = await run.updateJob(job.id, (j) =>
    j.status === "RUNNING" ? { ...j, job_metadata: { heartbeat_at: new Date().toISOString() } } : j,
  );
  expect(seen).toMatchObject({ status: "FAILED", error_message: "cancelled by API key kz_1…" });
  expect((await plain().getJob(job.id))?.job).toMatchObject({ status: "FAILED" });
  expect((await plain().getJob(job.id))?.job.job_metadata?.heartbeat_at).toBeUndefined();
});
