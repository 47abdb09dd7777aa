import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DATA_BRANCH } from "../../src/store/layout.js";
import { LocalGitBackend } from "../../src/store/local-git-backend.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";
import { MAX_SEGMENTS, RepoStore } from "../../src/store/repo-store.js";
import { builtEntry } from "../helpers/built.js";
import { feedbackBatch, trace } from "../helpers/records.js";
import { describeStoreConformance } from "./store-conformance.js";

const run = promisify(execFile);

async function localWorld() {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-store-"));
  await initRepository(dir);
  const backend = new LocalGitBackend(dir);
  return {
    store: await LocalGitStore.open(dir),
    openAnother: () => LocalGitStore.open(dir),
    async commitToDefaultBranch(files: Record<string, string>) {
      const head = await backend.head("main");
      await backend.commit({
        branch: "main",
        parent: head,
        changes: new Map(Object.entries(files)),
        message: "Add files",
      });
    },
    branchHead: (branch: string) => backend.head(branch),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describeStoreConformance("LocalGitStore", localWorld);

/** A store new to the repository (as after a restart) that records every blob it reads. */
function storeCountingReads(dir: string) {
  const backend = new LocalGitBackend(dir);
  const reads: string[] = [];
  const readBlob = backend.readBlob.bind(backend);
  backend.readBlob = (sha: string) => (reads.push(sha), readBlob(sha));
  return { store: new RepoStore(backend), reads, close: () => backend.close() };
}

describe("LocalGitStore on its own", () => {
  it("commits as Kaizen on a machine where git has no user configured", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "kaizen-home-"));
    const emptyConfig = path.join(home, "gitconfig");
    await writeFile(emptyConfig, "");
    const saved = {
      HOME: process.env.HOME,
      GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL,
      GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM,
    };
    Object.assign(process.env, { HOME: home, GIT_CONFIG_GLOBAL: emptyConfig, GIT_CONFIG_NOSYSTEM: "1" });
    const world = await localWorld();
    try {
      await world.store.appendFeedback("summarize", feedbackBatch("summarize", 0, 2), { retentionLimit: 10 });
      const { stdout } = await run("git", ["log", "-1", "--format=%an <%ae>|%cn <%ce>", DATA_BRANCH], {
        cwd: world.store.dir,
      });
      expect(stdout.trim()).toBe(
        "Kaizen <kaizen@users.noreply.github.com>|Kaizen <kaizen@users.noreply.github.com>",
      );
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await world.cleanup();
      await rm(home, { recursive: true, force: true });
    }
  });

  it("leaves the working tree and the checked-out branch untouched", async () => {
    const world = await localWorld();
    const dir = world.store.dir;
    await world.store.appendFeedback("summarize", feedbackBatch("summarize", 0, 2), { retentionLimit: 10 });
    const { stdout: status } = await run("git", ["status", "--porcelain"], { cwd: dir });
    const { stdout: branch } = await run("git", ["branch", "--show-current"], { cwd: dir });
    expect(status).toBe("");
    expect(branch.trim()).toBe("main");
    await world.cleanup();
  });

  it("refuses a directory that is not a git repository, saying so", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-not-a-repo-"));
    await expect(LocalGitStore.open(dir)).rejects.toThrow(
      `cannot use ${dir} as a Kaizen store: it is not inside a git repository (run \`git init\` there first)`,
    );
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps every entry when two processes write to one repository at once", async () => {
    const world = await localWorld();
    const dir = world.store.dir;
    const writer = builtEntry("test-helpers/append-process");
    await Promise.all(["a", "b"].map((who) => run(process.execPath, [writer, dir, who, "200", "20"])));
    const state = await world.store.getTaskState("summarize");
    expect(state).toMatchObject({ feedback_total: 400, feedback_retained: 400 });
    await world.cleanup();
  });

  it("finds a trace to score newest segment first: an instance that never read the traces reads one segment, not all", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-store-"));
    await initRepository(dir);
    // One append a minute across three tasks: 12 segments, named by their time.
    let minute = 0;
    const now = () => new Date(Date.UTC(2026, 10, 29, 8, minute++));
    const writer = await LocalGitStore.open(dir, { now });
    const appended = [];
    for (let round = 0; round < 4; round++)
      for (const task of ["alpha", "beta", "gamma"]) {
        const record = trace(task, round);
        await writer.appendTraces(task, [record]);
        appended.push({ task, id: record.id });
      }
    const cold = () => storeCountingReads(dir);

    const newest = appended.at(-1)!;
    const first = cold();
    expect(await first.store.findTrace(newest.id)).toMatchObject({
      task: newest.task,
      trace: { id: newest.id },
    });
    expect(first.reads).toHaveLength(1);
    // The oldest is found too, and then every id is known to this instance: a second look reads
    // only the segment that holds it.
    const oldest = appended[0]!;
    expect(await first.store.findTrace(oldest.id)).toMatchObject({ task: oldest.task });
    const before = first.reads.length;
    expect(await first.store.findTrace(appended[5]!.id)).toMatchObject({ task: appended[5]!.task });
    expect(first.reads.length - before).toBe(1);
    expect(await first.store.findTrace("0190aaaa-0000-7000-8000-000000000000")).toBeNull();

    // An instance whose index is behind the branch still finds what was appended since.
    const later = trace("beta", 9);
    await writer.appendTraces("beta", [later]);
    expect(await first.store.findTrace(later.id)).toMatchObject({ task: "beta", trace: { id: later.id } });
    await first.close();
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("appends after a restart reading only the segments an id could be in, and still stores a retried id once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-store-"));
    await initRepository(dir);
    const writer = await LocalGitStore.open(dir);
    const batches = Array.from({ length: 10 }, (_, i) => feedbackBatch("summarize", i * 20, 20));
    for (const batch of batches) await writer.appendFeedback("summarize", batch, { retentionLimit: 1_000 });
    await writer.close();
    const restarted = () => storeCountingReads(dir);

    // A new entry's id is newer than every stored one: no segment is read, only the task's state.
    const fresh = restarted();
    const added = await fresh.store.appendFeedback("summarize", feedbackBatch("summarize", 500, 1), {
      retentionLimit: 1_000,
    });
    expect(added).toMatchObject({ added: 1, duplicates: 0 });
    expect(fresh.reads).toHaveLength(1);
    await fresh.close();

    // A retry of an entry stored before the restart reads the segment that holds it (and the
    // state), and answers the entry stored first.
    const retry = restarted();
    const stored = batches[3]![7]!;
    const again = await retry.store.appendFeedback(
      "summarize",
      [{ ...stored, created_at: new Date().toISOString() }],
      { retentionLimit: 1_000 },
    );
    expect(again).toMatchObject({ added: 0, duplicates: 1, records: [stored] });
    expect(new Set(retry.reads).size).toBe(2);
    await retry.close();

    // A client's own id of any shape (here older than everything stored) is checked as well.
    const own = restarted();
    const oldId = { ...feedbackBatch("summarize", 600, 1)[0]!, id: "00000000-0000-4000-8000-000000000001" };
    await own.store.appendFeedback("summarize", [oldId], { retentionLimit: 1_000 });
    const replay = await own.store.appendFeedback("summarize", [oldId], { retentionLimit: 1_000 });
    expect(replay).toMatchObject({ added: 0, duplicates: 1 });
    await own.close();
    const entries = [];
    const reader = await LocalGitStore.open(dir);
    for await (const entry of reader.readFeedback("summarize")) entries.push(entry.id);
    expect(entries).toHaveLength(202);
    expect(new Set(entries).size).toBe(202);
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps each merged segment's id range through compaction and retention: a retried id is still found", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-store-"));
    await initRepository(dir);
    const writer = await LocalGitStore.open(dir);
    const sent = [];
    // Past MAX_SEGMENTS appends the oldest segments are merged; retention drops the first ones.
    for (let i = 0; i < MAX_SEGMENTS + 6; i++) {
      const batch = feedbackBatch("summarize", i * 2, 2);
      sent.push(...batch);
      await writer.appendFeedback("summarize", batch, { retentionLimit: 2 * MAX_SEGMENTS + 8 });
    }
    const state = (await writer.getTaskState("summarize"))!;
    await writer.close();
    expect(Object.keys(state.feedback_segments).length).toBeLessThanOrEqual(MAX_SEGMENTS);
    expect(Object.keys(state.feedback_id_ranges).sort()).toEqual(Object.keys(state.feedback_segments).sort());

    // The oldest entry still kept sits in a merged segment; a new instance finds it there.
    const kept = sent.at(-(2 * MAX_SEGMENTS + 8))!;
    const store = await LocalGitStore.open(dir);
    const again = await store.appendFeedback("summarize", [kept], { retentionLimit: 2 * MAX_SEGMENTS + 8 });
    expect(again).toMatchObject({ added: 0, duplicates: 1, records: [kept] });
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
