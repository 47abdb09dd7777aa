import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { runCli } from "../../src/cli/run.js";
import { kaizen as kaizenIn } from "./helpers/run-cli.js";

/** Runs the CLI in-process in `cwd` and collects what it prints. */

const kaizen = (cwd: string, ...argv: string[]) => kaizenIn(cwd, {}, ...argv);

describe("kaizen validate", () => {
  let repo: string;
  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), "kaizen-validate-"));
    await mkdir(path.join(repo, ".kaizen/tasks"), { recursive: true });
  });
  afterEach(() => rm(repo, { recursive: true, force: true }));

  it("passes valid files and shows warnings without failing", async () => {
    await writeFile(
      path.join(repo, ".kaizen/tasks/summarize.yml"),
      "name: summarize\nfeedback_treshold: 5\n",
    );
    const { code, out } = await kaizen(repo, "validate");
    expect(code).toBe(0);
    expect(out).toBe(
      '.kaizen/tasks/summarize.yml:2:1: warning: feedback_treshold: unknown field, ignored (did you mean "feedback_threshold"?)\n' +
        "1 task file(s) checked: 0 error(s), 1 warning(s)\n",
    );
  });

  it("exits 1 and names file, line, column and field of every error", async () => {
    await writeFile(path.join(repo, ".kaizen/tasks/a.yml"), "name: a\nfeedback_threshold: -1\n");
    await writeFile(path.join(repo, ".kaizen/tasks/b.yaml"), "name: b\nprompt_path: ../outside.md\n");
    const { code, out } = await kaizen(repo, "validate");
    expect(code).toBe(1);
    expect(out).toContain(
      ".kaizen/tasks/a.yml:2:21: error: feedback_threshold: must be greater than 0, got number -1",
    );
    expect(out).toContain(".kaizen/tasks/b.yaml:2:14: error: prompt_path: must not contain '..'");
    expect(out).toContain("2 task file(s) checked: 2 error(s), 0 warning(s)");
  });

  it("reports a prompt_path that folds to .git, to a CI definition or to Kaizen's configuration", async () => {
    await writeFile(
      path.join(repo, ".kaizen/tasks/a.yml"),
      "name: a\nprompt_path: .g\u200cit/hooks/post-checkout\n",
    );
    await writeFile(path.join(repo, ".kaizen/tasks/b.yml"), "name: b\nprompt_path: .gitlab-ci.yml\n");
    await writeFile(path.join(repo, ".kaizen/tasks/c.yml"), "name: c\nprompt_path: .kaizen/config.yml\n");
    const { code, out } = await kaizen(repo, "validate");
    expect(code).toBe(1);
    expect(out).toMatch(/^\.kaizen\/tasks\/a\.yml:2:14: error: prompt_path: .*treat as \.git$/m);
    expect(out).toMatch(
      /^\.kaizen\/tasks\/b\.yml:2:14: error: prompt_path: must not lie at or under \.gitlab-ci\.yml/m,
    );
    expect(out).toMatch(
      /^\.kaizen\/tasks\/c\.yml:2:14: error: prompt_path: must not be Kaizen's own configuration/m,
    );
  });

  it("checks the files it is given and reports one that cannot be read", async () => {
    const { code, out } = await kaizen(repo, "validate", "--json", ".kaizen/tasks/missing.yml");
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual([
      {
        file: ".kaizen/tasks/missing.yml",
        line: 1,
        column: 1,
        field: "(file)",
        message: "cannot be read: ENOENT",
        severity: "error",
      },
    ]);
  });

  it("refuses an unknown option with the usage, exit 2", async () => {
    const { code, err } = await kaizen(repo, "validate", "--strictt");
    expect(code).toBe(2);
    expect(err).toContain("Unknown option '--strictt'");
    expect(err).toContain("Usage: kaizen validate");
  });
});

describe("kaizen", () => {
  it("suggests the command that was meant", async () => {
    const { code, err } = await kaizen(tmpdir(), "valdate");
    expect(code).toBe(2);
    expect(err).toContain('unknown command "valdate"; did you mean "validate"?');
  });

  it("prints each command's help with an example", async () => {
    const { code, out } = await kaizen(tmpdir(), "validate", "--help");
    expect(code).toBe(0);
    expect(out).toContain("Example:");
  });

  it("loads a command's module only when that command runs (the overview, --version and a typo load none)", async () => {
    const loaded: string[] = [];
    const registry = COMMANDS.map((entry) => ({
      ...entry,
      load: () => (loaded.push(entry.name), entry.load()),
    }));
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
    const run = (...argv: string[]) =>
      runCli(argv, { ...io, env: {}, cwd: tmpdir(), isTTY: false }, registry);
    expect(await run("--help")).toBe(0);
    expect(await run("--version")).toBe(0);
    expect(await run("valdate")).toBe(2);
    expect(loaded).toEqual([]);
    expect(await run("keys", "--help")).toBe(0);
    expect(loaded).toEqual(["keys"]);
  });

  it("registers each command under the name its own usage text gives", async () => {
    for (const entry of COMMANDS)
      expect((await entry.load()).usage).toMatch(new RegExp(`^Usage: kaizen ${entry.name}\\b`));
  });
});

describe("kaizen validate, beyond the fields", () => {
  let repo: string;
  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), "kaizen-validate-"));
  });
  afterEach(() => rm(repo, { recursive: true, force: true }));

  const task = (name: string, yaml: string) =>
    mkdir(path.join(repo, ".kaizen/tasks"), { recursive: true }).then(() =>
      writeFile(path.join(repo, `.kaizen/tasks/${name}.yml`), yaml),
    );

  it("says a name must match its pattern, not that it must be 'a valid regex'", async () => {
    await task("a", 'name: "bad name"\n');
    const { out } = await kaizen(repo, "validate");
    expect(out).toContain("error: name: must match /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/");
    expect(out).not.toContain("valid regex");
  });

  it("checks that the prompt file exists and uses placeholders Kaizen fills", async () => {
    await task("a", "name: a\nprompt_path: prompts/missing.md\n");
    await task("b", "name: b\nprompt_path: prompts/b.txt\n");
    await mkdir(path.join(repo, "prompts"));
    await writeFile(path.join(repo, "prompts/b.txt"), "Answer {question} for {customer}.\n");
    const { code, out } = await kaizen(repo, "validate");
    expect(code).toBe(1);
    expect(out).toContain(
      ".kaizen/tasks/a.yml:2:14: error: prompt_path: the prompt file prompts/missing.md does not exist",
    );
    expect(out).toContain(
      ".kaizen/tasks/b.yml:2:14: warning: prompt_path: prompts/b.txt has Python-style placeholders ({question}, {customer})",
    );
  });

  it("lists every model without a price at once", async () => {
    await task(
      "a",
      "name: a\nteacher_model: llama-3-70b\njudge_model: mistral-small\nstudent_model: llama-3-70b\n",
    );
    const { code, out } = await kaizen(repo, "validate");
    expect(code).toBe(1);
    expect(out).toContain('no price known for "llama-3-70b", "mistral-small"');
    expect(out.match(/no price known/g)).toHaveLength(1);
  });

  it("reports a model name typo at the line of its field, with the catalogue's name meant", async () => {
    await task("a", "name: a\nprompt_path: prompts/a.md\nstudent_model: gpt-4o-mimi\n");
    const { code, out } = await kaizen(repo, "validate");
    expect(code).toBe(1);
    expect(out).toContain(
      '.kaizen/tasks/a.yml:3:16: error: student_model: no price known for "gpt-4o-mimi", and no such model in the price catalogue: did you mean gpt-4o-mini?',
    );
    expect(out).not.toContain("model_prices:");
  });

  it("says when a task file is not committed, or changed since, on the branch local commands read", async () => {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: GIT_ENV });
    git("init", "--quiet", "--initial-branch=main");
    await task("a", "name: a\n");
    const first = await kaizen(repo, "validate");
    expect(first.code).toBe(0);
    expect(first.out).toContain("warning: (file): is not committed on main");
    git("add", "-A");
    git("commit", "--quiet", "-m", "task");
    expect((await kaizen(repo, "validate")).out).not.toContain("committed");
    await task("a", "name: a\nfeedback_threshold: 10\n");
    expect((await kaizen(repo, "validate")).out).toContain("has changes not committed on main");
  });

  it("says so, and exits 1, in a repository without any task", async () => {
    const { code, err } = await kaizen(repo, "validate");
    expect(code).toBe(1);
    expect(err).toContain('No task file in .kaizen/tasks/ here: create one with "kaizen init"');
  });
});

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
};
