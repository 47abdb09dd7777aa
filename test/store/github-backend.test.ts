import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RefConflictError } from "../../src/store/backend.js";
import { GitHubBackend } from "../../src/store/github-backend.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";

let github: FakeGitHub;
let serial = 0;

beforeAll(async () => {
  github = await FakeGitHub.start();
});
afterAll(() => github.close());
afterEach(() => github.assertClean());

function freshRepo() {
  const name = `backend-${++serial}`;
  github.createRepo(`acme/${name}`, { files: { "README.md": "hello\n" } });
  const open = () => new GitHubBackend(testOctokit(github), { owner: "acme", repo: name });
  return { name, open };
}

describe("GitHubBackend", () => {
  it("creates an orphan branch, then refuses a second orphan creation as a lost race", async () => {
    const { name, open } = freshRepo();
    const backend = open();
    const first = await backend.commit({
      branch: "kaizen/data",
      parent: null,
      changes: new Map([["a/b.txt", "one\n"]]),
      message: "start",
    });
    expect(github.readFile(`acme/${name}`, "kaizen/data", "a/b.txt")).toBe("one\n");
    expect(github.readFile(`acme/${name}`, "kaizen/data", "README.md")).toBeNull();
    expect(await open().head("kaizen/data")).toBe(first);
    await expect(
      open().commit({
        branch: "kaizen/data",
        parent: null,
        changes: new Map([["x", "y"]]),
        message: "again",
      }),
    ).rejects.toBeInstanceOf(RefConflictError);
  });

  it("refuses a commit on a stale parent with RefConflictError and leaves the branch alone", async () => {
    const { name, open } = freshRepo();
    const a = open();
    const b = open();
    const base = (await a.head("main"))!;
    const won = await a.commit({
      branch: "main",
      parent: base,
      changes: new Map([["a.txt", "a"]]),
      message: "a",
    });
    await expect(
      b.commit({ branch: "main", parent: base, changes: new Map([["b.txt", "b"]]), message: "b" }),
    ).rejects.toBeInstanceOf(RefConflictError);
    expect(await open().head("main")).toBe(won);
    expect(github.readFile(`acme/${name}`, "main", "b.txt")).toBeNull();
  });

  it("knows its own commit's files without asking, and agrees with a fresh reader", async () => {
    const { open } = freshRepo();
    const writer = open();
    const base = (await writer.head("main"))!;
    await writer.listFiles(base, "");
    const next = await writer.commit({
      branch: "main",
      parent: base,
      changes: new Map([
        ["d/new.txt", "new\n"],
        ["README.md", null],
      ]),
      message: "change",
    });
    github.resetCounts();
    const derived = await writer.listFiles(next, "");
    expect(github.count()).toBe(0);
    expect(derived).toEqual(await open().listFiles(next, ""));
    expect([...derived.keys()]).toEqual(["d/new.txt"]);
  });

  it("reads a blob once and a missing file as null", async () => {
    const { open } = freshRepo();
    const backend = open();
    const files = await backend.listFiles((await backend.head("main"))!, "");
    const sha = files.get("README.md")!;
    github.resetCounts();
    expect(await backend.readBlob(sha)).toBe("hello\n");
    expect(await backend.readBlob(sha)).toBe("hello\n");
    expect(github.count()).toBe(1);
    expect(await backend.readFile("main", "missing.txt")).toBeNull();
    expect(await backend.readFile("main", "README.md")).toBe("hello\n");
  });
});
