/**
 * The long-lived `git cat-file --batch` the local backend reads through: answers in order under
 * concurrent reads, survives its process being killed, ends when closed (no process left behind)
 * and never keeps a short-lived program such as the CLI from exiting.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitCatFile } from "../../src/store/git-cat-file.js";
import { kaizenGitEnv, LocalGitBackend } from "../../src/store/local-git-backend.js";
import { initRepository } from "../../src/store/local-git-store.js";

const run = promisify(execFile);
const git = async (dir: string, ...args: string[]) => (await run("git", args, { cwd: dir })).stdout.trim();

/** Whether a process of this id exists (a zombie would still). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const BIG = "x".repeat(3_000_000);

let dir: string;
let cat: GitCatFile;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kaizen-cat-file-"));
  await initRepository(dir, { "a.txt": "alpha\n", "dir/b.txt": "beta\n", "big.txt": BIG });
  cat = new GitCatFile(dir, kaizenGitEnv());
});
afterEach(async () => {
  await cat.close();
  await rm(dir, { recursive: true, force: true });
});

describe("GitCatFile", () => {
  it("answers each of many concurrent reads with its own object, big ones among them", async () => {
    const names = ["HEAD:a.txt", "HEAD:big.txt", "HEAD:dir/b.txt", "HEAD^{tree}", "HEAD:nothing-here"];
    const reads = await Promise.all(
      Array.from({ length: 300 }, (_, i) => cat.read(names[i % names.length]!)),
    );
    for (let i = 0; i < reads.length; i++) {
      const object = reads[i];
      switch (names[i % names.length]) {
        case "HEAD:a.txt":
          expect(object?.content.toString()).toBe("alpha\n");
          break;
        case "HEAD:big.txt":
          expect(object?.content.length).toBe(BIG.length);
          break;
        case "HEAD:dir/b.txt":
          expect(object).toMatchObject({ type: "blob", sha: await git(dir, "rev-parse", "HEAD:dir/b.txt") });
          break;
        case "HEAD^{tree}":
          expect(object?.type).toBe("tree");
          break;
        default:
          expect(object).toBeNull();
      }
    }
  });

  it("sees a branch moved by another process", async () => {
    const before = await cat.read("refs/heads/main^{commit}");
    await writeFile(path.join(dir, "a.txt"), "changed\n");
    await run("git", ["commit", "-qam", "change"], { cwd: dir, env: kaizenGitEnv() });
    const after = await cat.read("refs/heads/main^{commit}");
    expect(after?.sha).toBe(await git(dir, "rev-parse", "main"));
    expect(after?.sha).not.toBe(before?.sha);
    expect((await cat.read("main:a.txt"))?.content.toString()).toBe("changed\n");
  });

  it("answers a read the killed process owed, and the next ones, from a new process", async () => {
    await cat.read("HEAD:a.txt");
    const first = cat.pid!;
    const owed = cat.read("HEAD:big.txt");
    process.kill(first, "SIGKILL");
    expect((await owed)?.content.length).toBe(BIG.length);
    expect((await cat.read("HEAD:dir/b.txt"))?.content.toString()).toBe("beta\n");
    expect(cat.pid).not.toBe(first);
    expect(alive(first)).toBe(false);
  });

  it("refuses a name that would split into two requests", async () => {
    await expect(cat.read("HEAD:a.txt\nHEAD:dir/b.txt")).rejects.toThrow(/invalid git object name/);
    expect((await cat.read("HEAD:a.txt"))?.content.toString()).toBe("alpha\n");
  });

  it("ends its process on close, after answering what it owed, and leaves none behind", async () => {
    const owed = cat.read("HEAD:big.txt");
    const pid = cat.pid!;
    await cat.close();
    expect((await owed)?.content.length).toBe(BIG.length);
    expect(cat.pid).toBeNull();
    expect(alive(pid)).toBe(false);
  });

  it("ends with the local backend that owns it", async () => {
    const backend = new LocalGitBackend(dir);
    const sha = await git(dir, "rev-parse", "HEAD:a.txt");
    expect(await backend.readBlob(sha)).toBe("alpha\n");
    const pid = backend.readerPid!;
    expect(alive(pid)).toBe(true);
    await backend.close();
    expect(alive(pid)).toBe(false);
  });

  it("keeps Node's event loop alive only while it owes a read, so a program that never closes it exits", async () => {
    const held = () =>
      process.getActiveResourcesInfo().filter((r) => r === "ProcessWrap" || r === "PipeWrap").length;
    await cat.read("HEAD:a.txt");
    const idle = held();
    const owed = cat.read("HEAD:big.txt");
    // The process and its three pipes.
    expect(held()).toBe(idle + 4);
    await owed;
    expect(cat.pid).not.toBeNull();
    expect(held()).toBe(idle);
    // Closing holds it again until the process has exited: an awaited close must settle.
    const closing = cat.close();
    expect(held()).toBeGreaterThan(idle);
    await closing;
  });
});
