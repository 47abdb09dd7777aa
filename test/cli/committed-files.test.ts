/**
 * `kaizen optimize` and `kaizen eval` read the task file from the default branch, as the app and
 * the Action do; an uncommitted edit is named, with which file the run uses and why, and a task
 * file that exists only in the working tree is refused with the fix. Through the real CLI.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { SEED_PROMPT, TASK_YAML, worldRepo } from "../optimizer/helpers/world.js";
import { kaizen } from "./helpers/run-cli.js";

const WHY = "(Kaizen reads the default branch, as the app and the Action do); commit your change to use it.";

describe("kaizen optimize and eval on a working tree that differs from the commit", () => {
  let fake: FakeOpenAI;
  let world: { dir: string; store: LocalGitStore };
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    fake = await FakeOpenAI.start();
    world = await worldRepo(60);
    env = {
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.baseURL,
      XDG_CACHE_HOME: await mkdtemp(path.join(tmpdir(), "kaizen-xdg-")),
    };
  });
  afterEach(async () => {
    await fake.close();
    await rm(world.dir, { recursive: true, force: true });
    await rm(env.XDG_CACHE_HOME!, { recursive: true, force: true });
  });

  it("optimize says which task and prompt files it reads from the branch, and uses the committed ones", async () => {
    const clean = await kaizen(world.dir, env, "optimize", "--task", "classify", "--dry-run");
    expect(clean.code).toBe(0);
    expect(clean.err).not.toContain("differs from the committed");

    await writeFile(
      path.join(world.dir, ".kaizen/tasks/classify.yml"),
      TASK_YAML.replace("cost_budget: 5", "cost_budget: 3"),
    );
    await writeFile(path.join(world.dir, "prompts/classify.md"), `${SEED_PROMPT}Be brief.\n`);
    const { code, out, err } = await kaizen(world.dir, env, "optimize", "--task", "classify", "--dry-run");
    expect(code).toBe(0);
    const branch = /uses the one on (\S+) /.exec(err)?.[1];
    expect(branch).toBeDefined();
    expect(err).toContain(
      `Note: .kaizen/tasks/classify.yml differs from the committed task file: this run uses the one on ${branch} ${WHY}`,
    );
    expect(err).toContain(
      `Note: prompts/classify.md differs from the committed prompt file: this run uses the one on ${branch} ${WHY}`,
    );
    expect(out).toContain("budget: $5.00");
    expect(fake.calls).toBe(0);
  });

  it("eval names an uncommitted task file, not the prompt file it measures from the working tree", async () => {
    await writeFile(path.join(world.dir, ".kaizen/tasks/classify.yml"), `${TASK_YAML}# tuned\n`);
    await writeFile(path.join(world.dir, "prompts/classify.md"), `${SEED_PROMPT}Be brief.\n`);
    const { code, err } = await kaizen(world.dir, env, "eval", "--task", "classify", "--dry-run");
    expect(code).toBe(0);
    expect(err).toContain(`Note: .kaizen/tasks/classify.yml differs from the committed task file`);
    expect(err).not.toContain("prompts/classify.md differs");
  });

  it("refuses a task whose file is only in the working tree, saying to commit it", async () => {
    await writeFile(
      path.join(world.dir, ".kaizen/tasks/triage.yml"),
      TASK_YAML.replace("name: classify", "name: triage"),
    );
    for (const command of ["optimize", "eval"]) {
      const { code, err } = await kaizen(world.dir, env, command, "--task", "triage", "--dry-run");
      expect(code).toBe(1);
      expect(err).toMatch(
        /task triage: \.kaizen\/tasks\/triage\.yml is in the working tree but not committed on \S+ \(Kaizen reads the default branch, as the app and the Action do\): commit it, then run again/,
      );
    }
  });
});
