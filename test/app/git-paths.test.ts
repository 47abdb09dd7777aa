/**
 * Paths that reach git, through the API of `kaizen serve`: a prompt_path that would split the
 * local backend's index line, or name `.git` in another letter case, is refused with a 422 that
 * names the field, and nothing lands on the default branch.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

const run = promisify(execFile);

describe("paths that reach git, through the API", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => api.close());

  const filesOnMain = async () =>
    (await run("git", ["ls-tree", "-r", "--name-only", "main"], { cwd: api.dir })).stdout.split("\n");

  it("refuses a NUL in prompt_path, and writes no second file onto the default branch", async () => {
    const evil =
      "prompts/x.md\u0000100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\t.github/workflows/evil.yml";
    const before = await filesOnMain();
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "evil",
      prompt_path: evil,
      prompt: "on: push\njobs: {}\n",
    });
    expect(created.status).toBe(422);
    expect(created.body.detail[0]).toMatchObject({ loc: ["body", "prompt_path"] });
    expect(created.body.detail[0].msg).toMatch(/control character/);
    const after = await filesOnMain();
    expect(after).toEqual(before);
    expect(after).not.toContain(".github/workflows/evil.yml");
  });

  it.each(["prompts/a\nb.md", "prompts/tab\there.md", "prompts/del\u007f.md"])(
    "refuses other control characters in prompt_path (%j)",
    async (promptPath) => {
      const created = await api.call("POST", "/api/v1/tasks", { name: "ctl", prompt_path: promptPath });
      expect(created.status).toBe(422);
      expect(created.body.detail[0].loc).toEqual(["body", "prompt_path"]);
    },
  );

  it.each([".GIT/config", "sub/.git/x", "sub/.Git/hooks/pre-commit"])(
    "refuses .git in any letter case as a segment of prompt_path (%s)",
    async (promptPath) => {
      const created = await api.call("POST", "/api/v1/tasks", {
        name: "gitdir",
        prompt_path: promptPath,
        prompt: "x\n",
      });
      expect(created.status).toBe(422);
      expect(created.body.detail[0]).toMatchObject({ loc: ["body", "prompt_path"] });
      expect(created.body.detail[0].msg).toMatch(/\.git/);
    },
  );
});

/** git with the checks of macOS and Windows on, as `git clone` runs there. */
const PROTECTED = ["-c", "core.protectHFS=true", "-c", "core.protectNTFS=true"];

/** Clones `source` with macOS's and Windows's checks; the error git printed, or null. */
async function protectedClone(source: string): Promise<{ error: string | null; into: string }> {
  const into = path.join(await mkdtemp(path.join(tmpdir(), "kaizen-clone-")), "clone");
  try {
    await run("git", [...PROTECTED, "clone", "-q", source, into]);
    return { error: null, into };
  } catch (error) {
    return { error: String((error as { stderr?: string }).stderr), into };
  }
}

describe("paths that break a checkout (git's verify_path with core.protectHFS and core.protectNTFS)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it.each([
    ".g\u200cit/hooks/post-checkout",
    ".g\ufeffit/hooks/post-checkout",
    "GIT~1/hooks/post-checkout",
    ".git./hooks/post-checkout",
    ".git /hooks/post-checkout",
  ])("refuses %j, which a real protected git clone refuses to check out", async (promptPath) => {
    // The claim about git, made with git: a repository holding the path (written with the
    // checks off) cannot be checked out with them on.
    const repo = await mkdtemp(path.join(tmpdir(), "kaizen-hostile-"));
    await run("git", ["init", "-q", "-b", "main", repo]);
    const git = (...args: string[]) => run("git", args, { cwd: repo });
    const blob = (
      await run("sh", ["-c", "echo hook | git hash-object -w --stdin"], { cwd: repo })
    ).stdout.trim();
    await git(
      "-c",
      "core.protectHFS=false",
      "-c",
      "core.protectNTFS=false",
      "update-index",
      "--add",
      "--cacheinfo",
      `100644,${blob},${promptPath}`,
    );
    const tree = (await git("write-tree")).stdout.trim();
    const commit = (
      await git("-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", tree, "-m", "x")
    ).stdout.trim();
    await git("update-ref", "refs/heads/main", commit);
    expect((await protectedClone(repo)).error).toContain("invalid path");

    const created = await api.call("POST", "/api/v1/tasks", {
      name: "hook",
      prompt_path: promptPath,
      prompt: "x\n",
    });
    expect(created.status).toBe(422);
    expect(created.body.detail[0]).toMatchObject({ loc: ["body", "prompt_path"] });
    expect(created.body.detail[0].msg).toMatch(/\.git/);
  });

  it("refuses a segment over 255 bytes and a path over 4,096 bytes", async () => {
    const long = await api.call("POST", "/api/v1/tasks", {
      name: "long",
      prompt_path: `prompts/${"a".repeat(256)}.md`,
    });
    expect(long.status).toBe(422);
    expect(long.body.detail[0].msg).toMatch(/segment of 259 bytes/);
    const deep = Array.from({ length: 18 }, () => "d".repeat(240)).join("/");
    const tooDeep = await api.call("POST", "/api/v1/tasks", { name: "deep", prompt_path: deep });
    expect(tooDeep.status).toBe(422);
    expect(tooDeep.body.detail[0].msg).toMatch(/over 4096/);
  });

  it("writes what it accepts so that a protected clone checks it out", async () => {
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "unicode",
      prompt_path: "prompts/ünïcode-π.md",
      prompt: "Answer {{q}}\n",
    });
    expect(created.status).toBe(201);
    const { error, into } = await protectedClone(api.dir);
    expect(error).toBeNull();
    expect(await readFile(path.join(into, "prompts/ünïcode-π.md"), "utf8")).toBe("Answer {{q}}\n");
  });
});

describe("a prompt file that is a symlink in the repository", () => {
  it("answers 422 naming the path, and never serves what the link points to", async () => {
    const secret = path.join(await mkdtemp(path.join(tmpdir(), "kaizen-secret-")), "secret.txt");
    await writeFile(secret, "the server's private file\n");
    // A repository whose prompt file is a symlink out of the repository, committed on main.
    const api = await startTestApi({}, {}, async (dir) => {
      await symlink(secret, path.join(dir, "prompts", "linked.txt"));
      await writeFile(
        path.join(dir, ".kaizen", "tasks", "linked.yml"),
        "name: linked\nprompt_path: prompts/linked.txt\n",
      );
    });
    try {
      const served = await api.call("GET", "/api/v1/tasks/linked/prompt");
      expect(served.status).toBe(422);
      expect(served.body.detail).toMatch(/prompts\/linked\.txt.*symlink/);
      expect(JSON.stringify(served.body)).not.toContain("private file");
    } finally {
      await api.close();
    }
  });
});
