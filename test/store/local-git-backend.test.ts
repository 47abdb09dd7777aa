/**
 * LocalGitBackend on a real repository: the compare-and-swap every store write relies on, the
 * tree edits (nested paths, deletes), and repositories that have no commits yet.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RefConflictError } from "../../src/store/backend.js";
import { GitCommandError, LocalGitBackend } from "../../src/store/local-git-backend.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";

const run = promisify(execFile);
const git = async (dir: string, ...args: string[]) => (await run("git", args, { cwd: dir })).stdout.trim();
const files = (entries: Record<string, string | null>) => new Map(Object.entries(entries));

describe("LocalGitBackend", () => {
  let dir: string;
  let backend: LocalGitBackend;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kaizen-backend-"));
    await initRepository(dir, { "README.md": "hello\n" });
    backend = new LocalGitBackend(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("creates an orphan branch when the parent is null, leaving the default branch alone", async () => {
    const main = await backend.head("main");
    const commit = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({ "state/a.json": "{}\n" }),
      message: "First",
    });
    expect(await backend.head("kaizen/data")).toBe(commit);
    expect(await git(dir, "rev-list", "--count", "kaizen/data")).toBe("1");
    expect([...(await backend.listFiles(commit, "")).keys()]).toEqual(["state/a.json"]);
    expect(await backend.head("main")).toBe(main);
  });

  it("refuses to create an orphan branch that exists already, with RefConflictError", async () => {
    const first = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({ "a.txt": "a" }),
      message: "First",
    });
    const orphanAgain = backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({ "b.txt": "b" }),
      message: "Second orphan",
    });
    await expect(orphanAgain).rejects.toThrow(RefConflictError);
    await expect(orphanAgain).rejects.toThrow(
      "branch kaizen/data moved while we wrote to it (expected no branch)",
    );
    expect(await backend.head("kaizen/data")).toBe(first);
  });

  it("refuses a commit on a stale parent, with RefConflictError, and keeps the winner's commit", async () => {
    const base = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({ "a.txt": "a" }),
      message: "Base",
    });
    const other = new LocalGitBackend(dir);
    const winner = await other.commit({
      branch: "kaizen/data",
      parent: base,
      changes: files({ "b.txt": "b" }),
      message: "Winner",
    });
    await expect(
      backend.commit({
        branch: "kaizen/data",
        parent: base,
        changes: files({ "c.txt": "c" }),
        message: "Loser",
      }),
    ).rejects.toThrow(RefConflictError);
    expect(await backend.head("kaizen/data")).toBe(winner);
    expect([...(await backend.listFiles(winner, "")).keys()]).toEqual(["a.txt", "b.txt"]);
  });

  it("lets exactly one of several racing writers on the same parent land", async () => {
    const base = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({ "a.txt": "a" }),
      message: "Base",
    });
    const writers = [0, 1, 2, 3].map(() => new LocalGitBackend(dir));
    const outcomes = await Promise.allSettled(
      writers.map((w, i) =>
        w.commit({
          branch: "kaizen/data",
          parent: base,
          changes: files({ [`w${i}.txt`]: `${i}` }),
          message: `Writer ${i}`,
        }),
      ),
    );
    const landed = outcomes.filter((o) => o.status === "fulfilled");
    expect(landed).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(RefConflictError);
    expect(await backend.head("kaizen/data")).toBe((landed[0] as PromiseFulfilledResult<string>).value);
  });

  it("writes nested paths, deletes files, and lists a directory recursively", async () => {
    const base = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({
        "feedback/summarize/2026/a.jsonl": "1\n",
        "feedback/summarize/2026/b.jsonl": "2\n",
        "feedback/classify/c.jsonl": "3\n",
        "state/summarize.json": "{}\n",
      }),
      message: "Base",
    });
    const next = await backend.commit({
      branch: "kaizen/data",
      parent: base,
      changes: files({ "feedback/summarize/2026/a.jsonl": null, "feedback/summarize/2027/d.jsonl": "4\n" }),
      message: "Edit",
    });
    const listing = await backend.listFiles(next, "feedback/summarize");
    expect([...listing.keys()]).toEqual([
      "feedback/summarize/2026/b.jsonl",
      "feedback/summarize/2027/d.jsonl",
    ]);
    expect(await backend.readBlob(listing.get("feedback/summarize/2027/d.jsonl")!)).toBe("4\n");
    expect(await backend.readFile("kaizen/data", "feedback/summarize/2026/a.jsonl")).toBeNull();
    expect(await backend.readFile(base, "feedback/summarize/2026/a.jsonl")).toBe("1\n");
    expect((await backend.listFiles(next, "")).size).toBe(4);
  });

  it("moves a branch from an expected commit other than the parent", async () => {
    const main = (await backend.head("main"))!;
    const side = await backend.commit({
      branch: "kaizen/summarize",
      parent: main,
      expected: null,
      changes: files({ "prompt.md": "v1" }),
      message: "v1",
    });
    // Rebuild the branch on top of main: the swap checks the branch's current value, not the parent.
    const rebuilt = await backend.commit({
      branch: "kaizen/summarize",
      parent: main,
      expected: side,
      changes: files({ "prompt.md": "v2" }),
      message: "v2",
    });
    expect(await backend.head("kaizen/summarize")).toBe(rebuilt);
    await expect(
      backend.commit({
        branch: "kaizen/summarize",
        parent: main,
        expected: side,
        changes: files({ "prompt.md": "v3" }),
        message: "v3",
      }),
    ).rejects.toThrow(RefConflictError);
  });

  it("writes objects git itself would write: fsck passes, and git rebuilds the same trees", async () => {
    // Names whose order differs between files and directories ('a.b' < 'a/' < 'a0'), nested
    // paths, a delete that empties a directory, and a file the next commit leaves alone.
    const first = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: files({ "a.b": "1", "a/c": "2", a0: "3", "a-b/d/e": "4", "x/y/z": "5", "é/ü": "6" }),
      message: "Unusual names\n\nwith a body",
    });
    const second = await backend.commit({
      branch: "kaizen/data",
      parent: first,
      changes: files({ "x/y/z": null, "a/c": "two", "a/b": "7", "a-b/d/f": "8" }),
      message: "Edit",
    });
    await run("git", ["fsck", "--strict", "--no-dangling"], { cwd: dir });
    const index = path.join(dir, ".git", "scratch-index");
    const env = { ...process.env, GIT_INDEX_FILE: index };
    for (const commit of [first, second]) {
      await run("git", ["read-tree", commit], { cwd: dir, env });
      expect((await run("git", ["write-tree"], { cwd: dir, env })).stdout.trim()).toBe(
        await git(dir, "rev-parse", `${commit}^{tree}`),
      );
    }
    expect(await git(dir, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", second)).toBe(
      ["a-b/d/e", "a-b/d/f", "a.b", "a/b", "a/c", "a0", "é/ü"].join("\n"),
    );
    expect(await git(dir, "log", "-1", "--format=%B", first)).toBe("Unusual names\n\nwith a body");
    expect(await git(dir, "log", "-1", "--format=%an <%ae>", second)).toBe(
      "Kaizen <kaizen@users.noreply.github.com>",
    );
  });

  it("reports a failing git command with the command and git's message", async () => {
    await expect(backend.listFiles("f".repeat(40), "")).rejects.toThrow(GitCommandError);
    await expect(backend.listFiles("f".repeat(40), "")).rejects.toThrow(
      /^git ls-tree -r failed \(exit 128\): fatal: /,
    );
  });

  it("answers missing files and branches with null, not an error", async () => {
    expect(await backend.head("no-such-branch")).toBeNull();
    expect(await backend.readFile("main", "missing.md")).toBeNull();
    expect(await backend.readFile("no-such-branch", "README.md")).toBeNull();
    expect(await backend.readFile("main", "README.md")).toBe("hello\n");
  });
});

describe("a repository with no commits yet", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kaizen-empty-"));
    await run("git", ["init", "--quiet", "--initial-branch=main"], { cwd: dir });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("has no head and no files on the default branch, and still takes data writes", async () => {
    const backend = new LocalGitBackend(dir);
    expect(await backend.defaultBranch()).toBe("main");
    expect(await backend.head("main")).toBeNull();
    expect(await backend.readFile("main", "README.md")).toBeNull();

    const store = await LocalGitStore.open(dir);
    expect(await store.listTaskFiles()).toEqual([]);
    expect(await store.readRepoFile(".kaizen/tasks/summarize.yml")).toBeNull();
    await store.putKey({
      id: "0193a0c0-0000-7000-8000-000000000001",
      repo: "acme/support",
      prefix: "kz_1",
      hash: "a".repeat(64),
      created_at: "2026-11-23T06:00:00.000Z",
      created_by: "octocat",
    });
    expect(await store.listKeys()).toHaveLength(1);
    expect(await backend.head("main")).toBeNull();
  });
});
