/**
 * The behaviour every Store must have, run against each implementation (local git, GitHub).
 * A world is a fresh repository; `openAnother` gives an independent instance on the same
 * repository (its own caches), as a second app instance or an Action would be.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IllegalTransitionError } from "../../src/core/errors.js";
import { newId } from "../../src/core/ids.js";
import { transition } from "../../src/core/job-state.js";
import type { ApiKeyRecord, PromptVersion } from "../../src/core/records.js";
import { gitBlobSha } from "../../src/store/git-hash.js";
import { DATA_BRANCH } from "../../src/store/layout.js";
import { MAX_SEGMENTS } from "../../src/store/repo-store.js";
import type { Store } from "../../src/store/store.js";
import { collect, feedback, feedbackBatch, pendingJob, REPO_ID, trace } from "../helpers/records.js";
import { taskId } from "../../src/core/ids.js";

export interface StoreWorld {
  store: Store;
  openAnother(): Promise<Store>;
  /** Commits files (path → text) to the default branch, as a person would push them. */
  commitToDefaultBranch(files: Record<string, string>): Promise<void>;
  /** The commit a branch points at, or null: to see whether a write made a commit. */
  branchHead(branch: string): Promise<string | null>;
  cleanup(): Promise<void>;
}

const ids = (records: { id: string }[]) => records.map((r) => r.id);

export function describeStoreConformance(name: string, setup: () => StoreWorld | Promise<StoreWorld>): void {
  describe(`${name}: the Store contract`, () => {
    let world: StoreWorld;
    let store: Store;
    beforeEach(async () => {
      world = await setup();
      store = world.store;
    });
    afterEach(async () => world.cleanup());

    it("creates the data branch on the first write, as one commit per write", async () => {
      expect(await world.branchHead(DATA_BRANCH)).toBeNull();
      expect(await store.getTaskState("summarize")).toBeNull();
      const first = await store.appendFeedback("summarize", feedbackBatch("summarize", 0, 3), {
        retentionLimit: 100,
      });
      expect(first.commit).toBe(await world.branchHead(DATA_BRANCH));
      const second = await store.appendFeedback("summarize", feedbackBatch("summarize", 3, 3), {
        retentionLimit: 100,
      });
      expect(second.commit).not.toBe(first.commit);
      expect(await world.branchHead(DATA_BRANCH)).toBe(second.commit);
    });

    it("reads task files and other files from the default branch", async () => {
      await world.commitToDefaultBranch({
        ".kaizen/tasks/summarize.yml": "name: summarize\n",
        ".kaizen/tasks/classify.yaml": "name: classify\n",
        ".kaizen/tasks/notes.txt": "x",
        "prompts/summarize.md": "Summarize {{ticket}}\n",
      });
      expect(await store.listTaskFiles()).toEqual([
        {
          path: ".kaizen/tasks/classify.yaml",
          sha: gitBlobSha("name: classify\n"),
          text: "name: classify\n",
        },
        {
          path: ".kaizen/tasks/summarize.yml",
          sha: gitBlobSha("name: summarize\n"),
          text: "name: summarize\n",
        },
      ]);
      expect(await store.readRepoFile("prompts/summarize.md")).toBe("Summarize {{ticket}}\n");
      expect(await store.readRepoFile("prompts/missing.md")).toBeNull();
    });

    it("streams feedback oldest first across segments", async () => {
      const batches = [
        feedbackBatch("summarize", 0, 5),
        feedbackBatch("summarize", 5, 1),
        feedbackBatch("summarize", 6, 7),
      ];
      for (const batch of batches) await store.appendFeedback("summarize", batch, { retentionLimit: 100 });
      expect(ids(await collect(store.readFeedback("summarize")))).toEqual(ids(batches.flat()));
      expect(await collect(store.readFeedback("other"))).toEqual([]);
    });

    it("stores the same feedback id once: within a batch, across batches and across instances", async () => {
      const one = feedback("summarize", 1);
      const inBatch = await store.appendFeedback(
        "summarize",
        [one, { ...one, output: "a retry with other text" }],
        { retentionLimit: 100 },
      );
      expect(inBatch).toMatchObject({ added: 1, duplicates: 1 });
      expect(inBatch.records[1]).toEqual(one);

      const again = await store.appendFeedback("summarize", [one], { retentionLimit: 100 });
      expect(again).toMatchObject({ added: 0, duplicates: 1, commit: null });
      expect(again.records).toEqual([one]);

      const other = await world.openAnother();
      const fromOther = await other.appendFeedback("summarize", [one, feedback("summarize", 2)], {
        retentionLimit: 100,
      });
      expect(fromOther).toMatchObject({ added: 1, duplicates: 1 });
      expect((await collect(store.readFeedback("summarize"))).length).toBe(2);
      expect((await store.getTaskState("summarize"))?.feedback_total).toBe(2);
    });

    it("keeps exactly the newest N entries after retention, with counters that agree", async () => {
      const all = feedbackBatch("summarize", 0, 23);
      await store.appendFeedback("summarize", all.slice(0, 10), { retentionLimit: 15 });
      await store.appendFeedback("summarize", all.slice(10, 14), { retentionLimit: 15 });
      const last = await store.appendFeedback("summarize", all.slice(14), { retentionLimit: 15 });
      expect(last.evicted).toBe(8);
      expect(ids(await collect(store.readFeedback("summarize")))).toEqual(ids(all.slice(8)));
      expect(last.state).toMatchObject({
        feedback_total: 23,
        feedback_retained: 15,
        feedback_since_optimization: 23,
      });
      expect(await store.getTaskState("summarize")).toEqual(last.state);
    });

    it(`compacts a log of more than ${MAX_SEGMENTS} segments without losing or reordering entries`, async () => {
      const all = feedbackBatch("summarize", 0, MAX_SEGMENTS + 6);
      for (const record of all) await store.appendFeedback("summarize", [record], { retentionLimit: 10_000 });
      const state = await store.getTaskState("summarize");
      expect(Object.keys(state!.feedback_segments).length).toBeLessThanOrEqual(MAX_SEGMENTS);
      expect(ids(await collect(store.readFeedback("summarize")))).toEqual(ids(all));
      const dup = await store.appendFeedback("summarize", [all[0]!], { retentionLimit: 10_000 });
      expect(dup.duplicates).toBe(1);
    });

    it("appends and streams traces, deduplicated by id", async () => {
      const traces = [trace("summarize", 1), trace("summarize", 2)];
      await store.appendTraces("summarize", traces);
      const again = await store.appendTraces("summarize", [traces[0]!]);
      expect(again.added).toBe(0);
      expect(ids(await collect(store.readTraces("summarize")))).toEqual(ids(traces));
      expect((await store.getTaskState("summarize"))?.traces_total).toBe(2);
    });

    it("updates task state atomically", async () => {
      await store.appendFeedback("summarize", feedbackBatch("summarize", 0, 4), { retentionLimit: 100 });
      const state = await store.updateTaskState("summarize", (s) => ({
        ...s,
        feedback_since_optimization: 0,
        last_optimization: "2026-11-23T06:00:00.000Z",
      }));
      expect(state).toMatchObject({
        feedback_total: 4,
        feedback_since_optimization: 0,
        last_optimization: "2026-11-23T06:00:00.000Z",
      });
      expect(await store.getTaskState("summarize")).toEqual(state);
    });

    it("keeps jobs: found by id, listed newest first, per task or all", async () => {
      const older = pendingJob("summarize", { created_at: "2026-11-23T05:00:00.000Z" });
      const newer = pendingJob("summarize", { created_at: "2026-11-23T06:00:00.000Z" });
      const other = pendingJob("classify", { created_at: "2026-11-23T05:30:00.000Z" });
      for (const [task, job] of [
        ["summarize", older],
        ["summarize", newer],
        ["classify", other],
      ] as const)
        await store.putJob(task, job);
      expect(await store.getJob(newer.id)).toEqual({ task: "summarize", job: newer });
      expect(await store.getJob(newId())).toBeNull();
      expect(ids(await store.listJobs("summarize"))).toEqual([newer.id, older.id]);
      expect(ids(await store.listJobs())).toEqual([newer.id, other.id, older.id]);
    });

    it("lets two instances update one job at once without undoing each other", async () => {
      const job = pendingJob("summarize");
      await store.putJob("summarize", job);
      const other = await world.openAnother();
      await Promise.all([
        store.updateJob(job.id, (j) => ({ ...j, progress_step: "Loading feedback" })),
        other.updateJob(job.id, (j) => ({ ...j, pr_url: "https://github.com/o/r/pull/7" })),
      ]);
      expect((await store.getJob(job.id))?.job).toMatchObject({
        progress_step: "Loading feedback",
        pr_url: "https://github.com/o/r/pull/7",
      });
    });

    it("aborts an update that breaks the state machine, without a commit", async () => {
      const job = pendingJob("summarize");
      await store.putJob("summarize", job);
      const head = await world.branchHead(DATA_BRANCH);
      await expect(store.updateJob(job.id, (j) => transition(j, "SUCCESS"))).rejects.toThrow(
        IllegalTransitionError,
      );
      expect(await world.branchHead(DATA_BRANCH)).toBe(head);
      await expect(store.updateJob(newId(), (j) => j)).rejects.toThrow(/not found/);
    });

    it("keeps prompt versions, newest first", async () => {
      const version = (n: number, status: PromptVersion["status"]): PromptVersion => ({
        id: newId(),
        task_id: taskId(REPO_ID, "summarize"),
        version_number: n,
        prompt_text: `prompt ${n}`,
        eval_score: n / 10,
        status,
        optimizer: n === 1 ? null : "kaizen",
        dspy_version: null,
        created_at: new Date().toISOString(),
        job_id: null,
      });
      for (let n = 1; n <= 11; n++)
        await store.putPromptVersion("summarize", version(n, n === 11 ? "candidate" : "archived"));
      expect((await store.listPromptVersions("summarize")).map((v) => v.version_number)).toEqual([
        11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
      ]);
    });

    it("keeps API keys as hashes: put, get, list, delete", async () => {
      const key: ApiKeyRecord = {
        id: newId(),
        repo: "acme/support",
        prefix: "kz_4242_ab",
        hash: "a".repeat(64),
        created_at: new Date().toISOString(),
        created_by: "octocat",
      };
      await store.putKey(key);
      expect(await store.getKey(key.id)).toEqual(key);
      expect(await store.listKeys()).toEqual([key]);
      expect(await store.deleteKey(key.id)).toBe(true);
      expect(await store.deleteKey(key.id)).toBe(false);
      expect(await store.getKey(key.id)).toBeNull();
    });

    it("makes no commit for a transaction that writes nothing", async () => {
      await store.appendFeedback("summarize", feedbackBatch("summarize", 0, 1), { retentionLimit: 10 });
      const head = await world.branchHead(DATA_BRANCH);
      expect(await store.transact("nothing", async (tx) => tx.read("state/summarize.json"))).toContain(
        '"feedback_total": 1',
      );
      expect(await world.branchHead(DATA_BRANCH)).toBe(head);
    });

    it("loses and duplicates nothing when 4 instances append 2,000 entries in racing batches", async () => {
      const instances = [store, ...(await Promise.all([1, 2, 3].map(() => world.openAnother())))];
      const all = feedbackBatch("summarize", 0, 2_000);
      // Each instance sends its share in batches of 50, and re-sends one earlier batch as a
      // client retry would, so duplicates race too.
      await Promise.all(
        instances.map(async (instance, i) => {
          const mine = all.slice(i * 500, (i + 1) * 500);
          for (let b = 0; b < mine.length; b += 50) {
            await instance.appendFeedback("summarize", mine.slice(b, b + 50), { retentionLimit: 10_000 });
            if (b === 200)
              await instance.appendFeedback("summarize", mine.slice(0, 50), { retentionLimit: 10_000 });
          }
        }),
      );
      const stored = ids(await collect(store.readFeedback("summarize")));
      expect(stored.length).toBe(2_000);
      expect(new Set(stored)).toEqual(new Set(ids(all)));
      expect(await store.getTaskState("summarize")).toMatchObject({
        feedback_total: 2_000,
        feedback_retained: 2_000,
      });
      // Hundreds of racing commits: on a loaded machine (CI shares its cores) this outlasts the
      // default minute without anything being wrong.
    }, 240_000);
  });
}
