/**
 * Paths that reach git, through the API of `kaizen serve`: a prompt_path that would split the
 * local backend's index line, or name `.git` in another letter case, is refused with a 422 that
 * names the field, and nothing lands on the default branch.
 */
import { execFile } from "node:child_process";
import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
