import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kaizen } from "./helpers/run-cli.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, RULES, worldRepo } from "../optimizer/helpers/world.js";

const run = promisify(execFile);

/** A weaker teacher: it only ever learns the refund rule (better than the seed, short of 100%). */
function refundOnlyTeacher(fake: FakeOpenAI): void {
  fake.brain("sim-teacher", (r) => {
    const prompt = r.messages.filter((m) => m.role === "user").at(-1)!.content;
    const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(prompt)![1]!;
    return JSON.stringify({
      template: template.includes(RULES.refund)
        ? `${template.trimEnd()}\nBe brief (${r.seed ?? 0}).\n`
        : template.replace("Ticket: {{ticket}}", `${RULES.refund}\nTicket: {{ticket}}`),
      rationale: "the refund rule",
    });
  });
}

describe("kaizen optimize", () => {
  let fake: FakeOpenAI;
  let world: { dir: string; store: LocalGitStore };
  let cache: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    fake = await FakeOpenAI.start();
    installBrains(fake);
    world = await worldRepo(100);
    cache = await mkdtemp(path.join(tmpdir(), "kaizen-xdg-"));
    env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseURL, XDG_CACHE_HOME: cache };
  });
  afterEach(async () => {
    await fake.close();
    await rm(world.dir, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  it("writes the better prompt to branch kaizen/<task>, prints the verdict and its figures as text, writes the Markdown report to --report, and shows progress", async () => {
    const { code, out, err } = await kaizen(
      world.dir,
      env,
      "optimize",
      "--task",
      "classify",
      "--seed",
      "cli-test",
      "--report",
      path.join(cache, "kaizen-report.md"),
    );
    expect(code).toBe(0);
    // Text for a terminal: the verdict first, aligned figures, no Markdown or HTML.
    expect(out).toMatch(/^✔ Better: the candidate scores \d+\.\d% against \d+\.\d% for the active prompt/);
    expect(out).toMatch(
      /\n {2}held-out score +\d+\.\d% active → \d+\.\d% candidate \(\+\d+\.\d points, 20 examples\)\n/,
    );
    expect(out).toMatch(/\n {2}run cost +\$\d\.\d{4} of \$\d\.\d{4} estimated \(\d+ model calls/);
    expect(out).toMatch(/\nHow the search got there:\n {2}1\. rewrote the instruction/);
    expect(out).not.toMatch(/\*\*|<ins>|<details>|\| --- \||```/);
    expect(out).toContain(`The whole report (Markdown): ${path.join(cache, "kaizen-report.md")}\n`);
    const markdown = await readFile(path.join(cache, "kaizen-report.md"), "utf8");
    expect(markdown).toMatch(/^## Kaizen: classify\n\n✅ \*\*Better: the candidate scores/);
    expect(markdown).toContain("<summary>The change as a unified diff");
    expect(out).toContain("on branch kaizen/classify");
    expect(err).toMatch(/optimize classify: \d+%/);
    const { stdout: prompt } = await run("git", ["show", "kaizen/classify:prompts/classify.md"], {
      cwd: world.dir,
    });
    expect(prompt).toContain(RULES.refund);
    const { stdout: log } = await run("git", ["log", "-1", "--format=%an%n%B", "kaizen/classify"], {
      cwd: world.dir,
    });
    expect(log).toMatch(/^Kaizen\nKaizen: better prompt for classify\n\nKaizen-Job: /);
    const [job] = await world.store.listJobs("classify");
    expect(job).toMatchObject({
      status: "SUCCESS",
      triggered_by: "manual",
      progress_step: "Branch kaizen/classify written",
    });
    const { stdout: status } = await run("git", ["status", "--porcelain"], { cwd: world.dir });
    expect(status).toBe("");
  });

  it("prints the plan and the cost estimate on --dry-run, calling no model and writing nothing", async () => {
    const { code, out } = await kaizen(world.dir, env, "optimize", "--task", "classify", "--dry-run");
    expect(code).toBe(0);
    expect(out).toContain("| role | model | calls | input tokens | output tokens | cost (USD) |");
    expect(out).toContain("data: 50 train, 30 validation, 20 test examples");
    expect(fake.calls).toBe(0);
    expect(await world.store.listJobs()).toEqual([]);
  });

  it("refuses a --report in a directory that does not exist before it claims a job or calls a model", async () => {
    const { code, err } = await kaizen(
      world.dir,
      env,
      "optimize",
      "--task",
      "classify",
      "--report",
      "missing/report.md",
    );
    expect(code).toBe(1);
    expect(err).toContain(
      `--report missing/report.md: the directory ${path.join(world.dir, "missing")} does not exist`,
    );
    expect(await world.store.listJobs()).toEqual([]);
    expect(fake.calls).toBe(0);
  });

  it("says which variables to set when no model endpoint is configured", async () => {
    const { code, err } = await kaizen(world.dir, {}, "optimize", "--task", "classify");
    expect(code).toBe(1);
    expect(err).toContain("set OPENAI_API_KEY (and OPENAI_BASE_URL");
  });

  const optimize = async (seed: string) => {
    const result = await kaizen(world.dir, env, "optimize", "--task", "classify", "--seed", seed);
    expect(result.code).toBe(0);
    return result;
  };
  const branchText = async () =>
    (await run("git", ["show", "kaizen/classify:prompts/classify.md"], { cwd: world.dir })).stdout;
  /** The first run's candidate, waiting on kaizen/classify. */
  const firstCandidate = async () => {
    await optimize("first");
    return branchText();
  };

  it("a second run never replaces the open candidate with one scoring lower on the same held-out data, and says which it kept", async () => {
    const open = await firstCandidate();
    expect(open).toContain(RULES.refund);
    expect(open).toContain(RULES.crash);

    // A weaker teacher: its best is better than the active prompt but worse than the candidate
    // waiting for review.
    refundOnlyTeacher(fake);
    const second = await optimize("second");
    expect(second.out).toMatch(
      /Kept version 2 on kaizen\/classify: 100\.0% for version 2 against \d+\.\d% for this run's candidate, on this run's held-out data/,
    );
    expect(await branchText()).toBe(open);
    const versions = await world.store.listPromptVersions("classify");
    expect(versions.map((v) => [v.version_number, v.status])).toEqual([
      [2, "candidate"],
      [1, "active"],
    ]);
  });

  it("a second run that scores higher on the same held-out data replaces the open candidate, and says which", async () => {
    refundOnlyTeacher(fake);
    const open = await firstCandidate();
    expect(open).toContain(RULES.refund);
    expect(open).not.toContain(RULES.crash);

    installBrains(fake); // the teacher that learns both rules
    const second = await optimize("second");
    expect(second.out).toMatch(
      /This candidate replaces version 2 on kaizen\/classify: (\d+\.\d)% for version 2 against 100\.0% for this run's candidate, on this run's held-out data/,
    );
    const replaced = Number(/replaces version 2 on kaizen\/classify: (\d+\.\d)%/.exec(second.out)![1]);
    expect(replaced).toBeLessThan(100);
    const shipped = await branchText();
    expect(shipped).toContain(RULES.refund);
    expect(shipped).toContain(RULES.crash);
    const [latest] = await world.store.listJobs("classify");
    expect(latest).toMatchObject({ status: "SUCCESS", progress_step: "Branch kaizen/classify written" });
    expect(latest!.job_metadata).toMatchObject({ replaced_open_candidate: { version: 2 } });
    const versions = await world.store.listPromptVersions("classify");
    expect(versions[0]).toMatchObject({ version_number: 3, status: "candidate", prompt_text: shipped });
    expect(versions.find((v) => v.status === "active")?.version_number).toBe(1);
  });

  it("refuses a retry backoff that is not a number of milliseconds, naming the variable, before it claims a job", async () => {
    const { code, err } = await kaizen(
      world.dir,
      { ...env, KAIZEN_MODEL_RETRY_BACKOFF_MS: "fast" },
      "optimize",
      "--task",
      "classify",
    );
    expect(code).toBe(1);
    expect(err).toContain(
      'KAIZEN_MODEL_RETRY_BACKOFF_MS must be a number of milliseconds, 0 or more; it is "fast"',
    );
    expect(await world.store.listJobs()).toEqual([]);
    expect(fake.calls).toBe(0);
  });

  it("names an unknown task and a missing --task", async () => {
    expect((await kaizen(world.dir, env, "optimize", "--task", "nope")).err).toContain("task nope not found");
    expect((await kaizen(world.dir, env, "optimize")).code).toBe(2);
  });
});
