import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
});
