/**
 * What both GitBackends refuse before anything reaches git (control characters, `.git` in any
 * letter case), symlinks they never follow, and GitHub's answers a real repository gives
 * (truncated trees, "Reference cannot be updated").
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  RefConflictError,
  SymlinkRefusedError,
  UnsafeGitNameError,
  type GitBackend,
} from "../../src/store/backend.js";
import { GitHubBackend } from "../../src/store/github-backend.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { DATA_BRANCH } from "../../src/store/layout.js";
import { kaizenGitEnv, LocalGitBackend } from "../../src/store/local-git-backend.js";
import { initRepository } from "../../src/store/local-git-store.js";
import { feedbackBatch } from "../helpers/records.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";

const run = promisify(execFile);

let github: FakeGitHub;
let serial = 0;
const dirs: string[] = [];

beforeAll(async () => {
  github = await FakeGitHub.start();
});
afterAll(async () => {
  await github.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
afterEach(() => github.assertClean());

/** A repository with `prompts/real.md`, `prompts/link.md` → real.md, and `linked` → `.github`. */
interface World {
  backend: GitBackend;
  filesOnMain: () => Promise<string[]>;
}

async function localWorld(): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-hardening-"));
  dirs.push(dir);
  await initRepository(dir, { "prompts/real.md": "Real prompt\n", ".github/workflows/ci.yml": "on: push\n" });
  await symlink("real.md", path.join(dir, "prompts/link.md"));
  await symlink(".github/workflows", path.join(dir, "linked"));
  await mkdir(path.join(dir, "outside"), { recursive: true });
  await writeFile(path.join(dir, "outside/x"), "x");
  const env = kaizenGitEnv();
  await run("git", ["add", "--all"], { cwd: dir, env });
  await run("git", ["commit", "--quiet", "-m", "links"], { cwd: dir, env });
  return {
    backend: new LocalGitBackend(dir),
    filesOnMain: async () =>
      (await run("git", ["ls-tree", "-r", "--name-only", "main"], { cwd: dir })).stdout.trim().split("\n"),
  };
}

function githubWorld(): World {
  const name = `hardening-${++serial}`;
  github.createRepo(`acme/${name}`, {
    files: { "prompts/real.md": "Real prompt\n", ".github/workflows/ci.yml": "on: push\n", "outside/x": "x" },
  });
  github.commitFiles(
    `acme/${name}`,
    "main",
    { "prompts/link.md": { symlink: "real.md" }, linked: { symlink: ".github/workflows" } },
    "links",
  );
  return {
    backend: new GitHubBackend(testOctokit(github), { owner: "acme", repo: name }),
    filesOnMain: () => {
      const repo = github.repo(`acme/${name}`);
      const commit = repo.objects.get(repo.refs.get("refs/heads/main")!);
      return Promise.resolve(
        commit?.type === "commit" ? [...repo.objects.flatten(commit.tree).keys()].sort() : [],
      );
    },
  };
}

describe.each([
  ["LocalGitBackend", localWorld],
  ["GitHubBackend", githubWorld],
])("%s refuses what must not reach git", (_, makeWorld) => {
  const commitOnMain = async (backend: GitBackend, changes: Record<string, string | null>) =>
    backend.commit({
      branch: "main",
      parent: await backend.head("main"),
      changes: new Map(Object.entries(changes)),
      message: "change",
    });

  it("refuses a NUL or newline in a path, and writes nothing (not even the part before it)", async () => {
    const { backend, filesOnMain } = await makeWorld();
    const before = await filesOnMain();
    const evil =
      "prompts/x.md\u0000100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\t.github/workflows/evil.yml";
    await expect(commitOnMain(backend, { [evil]: "on: push\n" })).rejects.toThrow(UnsafeGitNameError);
    await expect(commitOnMain(backend, { "a\nb": "x" })).rejects.toThrow(/control character \(U\+000A/);
    await expect(backend.readFile("main", "prompts/real.md\u0000")).rejects.toThrow(UnsafeGitNameError);
    expect(await filesOnMain()).toEqual(before);
  });

  it("refuses .git as a path segment in any letter case", async () => {
    const { backend, filesOnMain } = await makeWorld();
    const before = await filesOnMain();
    for (const bad of [".GIT/config", "sub/.git/x", "sub/.Git/hooks/pre-commit", ".git"])
      await expect(commitOnMain(backend, { [bad]: "x" })).rejects.toThrow(/treat as \.git/);
    expect(await filesOnMain()).toEqual(before);
  });

  it("refuses ref names that git would read as options or that carry control characters", async () => {
    const { backend } = await makeWorld();
    await expect(backend.head("--output=/tmp/x")).rejects.toThrow(UnsafeGitNameError);
    await expect(backend.readFile("main\u0000", "prompts/real.md")).rejects.toThrow(UnsafeGitNameError);
    await expect(
      backend.commit({ branch: "kaizen/a b", parent: null, changes: new Map([["x", "y"]]), message: "m" }),
    ).rejects.toThrow(UnsafeGitNameError);
  });

  it("reads a regular prompt, and refuses to read one that is a symlink", async () => {
    const { backend } = await makeWorld();
    expect(await backend.readFile("main", "prompts/real.md")).toBe("Real prompt\n");
    await expect(backend.readFile("main", "prompts/link.md")).rejects.toThrow(SymlinkRefusedError);
    await expect(backend.readFile("main", "linked/ci.yml")).rejects.toThrow(/linked is \(or lies below\)/);
    expect(await backend.readFile("main", "prompts/missing.md")).toBeNull();
  });

  it("refuses to write over a symlink or below a symlinked directory", async () => {
    const { backend, filesOnMain } = await makeWorld();
    const before = await filesOnMain();
    await expect(commitOnMain(backend, { "prompts/link.md": "New\n" })).rejects.toThrow(SymlinkRefusedError);
    await expect(commitOnMain(backend, { "linked/evil.yml": "on: push\n" })).rejects.toThrow(
      /linked is \(or lies below\) a symlink/,
    );
    expect(await filesOnMain()).toEqual(before);
    await commitOnMain(backend, { "prompts/real.md": "Better\n" });
    expect(await backend.readFile("main", "prompts/real.md")).toBe("Better\n");
  });
});

describe("GitHubBackend against GitHub's limits", () => {
  it("lists a data branch whose recursive tree GitHub truncates, losing no file", async () => {
    const name = `truncated-${++serial}`;
    github.createRepo(`acme/${name}`);
    const files: Record<string, string> = {};
    for (let t = 0; t < 6; t++) for (let i = 0; i < 5; i++) files[`jobs/task${t}/${i}.json`] = `${t}-${i}\n`;
    files["state/a.json"] = "{}\n";
    github.commitFiles(`acme/${name}`, DATA_BRANCH, files, "data");
    github.limits.treeEntries = 10;
    try {
      const backend = new GitHubBackend(testOctokit(github), { owner: "acme", repo: name });
      const head = (await backend.head(DATA_BRANCH))!;
      const all = await backend.listFiles(head, "");
      expect(all.size).toBe(31);
      expect([...(await backend.listFiles(head, "jobs/task3")).keys()]).toEqual(
        [0, 1, 2, 3, 4].map((i) => `jobs/task3/${i}.json`),
      );
    } finally {
      github.limits.treeEntries = 100_000;
    }
  });

  it("lists a commit whole in one request, and a repository GitHub truncates one directory at a time", async () => {
    const name = `perdir-${++serial}`;
    github.createRepo(`acme/${name}`);
    const files: Record<string, string> = { "state/summarize.json": "{}\n" };
    for (let i = 0; i < 200; i++) files[`jobs/other/${i}.json`] = `${i}\n`;
    github.commitFiles(`acme/${name}`, DATA_BRANCH, files, "data");
    const open = () => new GitHubBackend(testOctokit(github), { owner: "acme", repo: name });

    const whole = open();
    const head = (await whole.head(DATA_BRANCH))!;
    github.resetCounts();
    expect([...(await whole.listFiles(head, "state")).keys()]).toEqual(["state/summarize.json"]);
    expect((await whole.listFiles(head, "jobs")).size).toBe(200);
    expect(await whole.readFile(head, "state/summarize.json")).toBe("{}\n");
    // One recursive listing answers every directory and the walk to the file; then its blob.
    expect(github.count()).toBe(2);

    github.limits.treeEntries = 50;
    try {
      const cut = open();
      github.resetCounts();
      expect([...(await cut.listFiles(head, "state")).keys()]).toEqual(["state/summarize.json"]);
      // The cut listing, the root's entries, and `state/` listed: never the 200 jobs one by one.
      expect(github.count()).toBe(3);
      const next = github.commitFiles(`acme/${name}`, DATA_BRANCH, { "state/other.json": "{}\n" }, "more");
      github.resetCounts();
      expect((await cut.listFiles(next, "state")).size).toBe(2);
      // Known to be cut here: the next commit is read one directory at a time straight away.
      expect(github.count()).toBe(2);
    } finally {
      github.limits.treeEntries = 100_000;
    }
  });

  it("treats 422 'Reference cannot be updated' as a lost race, and the store re-applies", async () => {
    const name = `refbusy-${++serial}`;
    github.createRepo(`acme/${name}`, { files: { ".kaizen/tasks/summarize.yml": "name: summarize\n" } });
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: name });
    await store.appendFeedback("summarize", feedbackBatch("summarize", 0, 2), { retentionLimit: 100 });
    github.failNext("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", 1, 422, {
      message: "Reference cannot be updated",
      documentation_url: "https://docs.github.com/rest/git/refs#update-a-reference",
    });
    const backend = new GitHubBackend(testOctokit(github), { owner: "acme", repo: name });
    const head = await backend.head(DATA_BRANCH);
    await expect(
      backend.commit({ branch: DATA_BRANCH, parent: head, changes: new Map([["x/y", "z"]]), message: "m" }),
    ).rejects.toBeInstanceOf(RefConflictError);
    github.failNext("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", 1, 422, {
      message: "Reference cannot be updated",
    });
    const result = await store.appendFeedback("summarize", feedbackBatch("summarize", 2, 2), {
      retentionLimit: 100,
    });
    expect(result.state.feedback_total).toBe(4);
  });
});
