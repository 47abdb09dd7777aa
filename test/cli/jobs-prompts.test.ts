/**
 * `kaizen jobs show|cancel` and `kaizen prompts list|activate|rollback` as real processes on a
 * local repository, and `POST /api/v1/jobs/{id}/cancel` over HTTP on a running `kaizen serve`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, taskId } from "../../src/core/ids.js";
import type { Job, PromptVersion } from "../../src/core/records.js";
import { claimJob, createJob } from "../../src/jobs/index.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, SEED_PROMPT, worldRepo } from "../optimizer/helpers/world.js";
import { kaizenProcess, kaizenServe, type ServeProcess } from "./helpers/kaizen-process.js";

const git = promisify(execFile);
const BETTER = `${SEED_PROMPT}Tickets about refunds are billing.\n`;

let world: { dir: string; store: LocalGitStore };
let home: string;
beforeEach(async () => {
  world = await worldRepo(100);
  home = await mkdtemp(path.join(tmpdir(), "kaizen-home-"));
});
afterEach(async () => {
  await rm(world.dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** `kaizen ...args` in the repository, as the person `pat`. */
const kaizen = (...args: string[]) =>
  kaizenProcess(world.dir, { USER: "pat", HOME: home, XDG_CACHE_HOME: home }, ...args);

const pendingJob = async (): Promise<Job> => {
  const created = await createJob(world.store, { repoKey: "local", task: "classify", triggeredBy: "manual" });
  if (!created.created) throw new Error("a job is already in flight");
  return created.job;
};

describe("kaizen jobs show", () => {
  it("shows a job's state and trigger, as text and --json, and names an unknown id", async () => {
    const job = await pendingJob();
    const shown = await kaizen("jobs", "show", job.id);
    expect(shown).toMatchObject({ code: 0, err: "" });
    expect(shown.out).toContain(`Job ${job.id} of task classify: PENDING`);
    expect(shown.out).toContain("triggered by manual");

    const json = await kaizen("jobs", "show", job.id, "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ id: job.id, status: "PENDING", triggered_by: "manual" });

    const unknown = await kaizen("jobs", "show", "0190a5f0-0000-7000-8000-000000000000");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no job 0190a5f0-0000-7000-8000-000000000000 in this repository");
    expect(unknown.err).toContain("kaizen jobs list");

    const missing = await kaizen("jobs", "show");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("show needs a job id");

    const help = await kaizen("jobs", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Example:\n {2}kaizen jobs list/);
    expect(help.out).toContain("kaizen jobs cancel ");
  }, 600_000);
});

describe("kaizen jobs cancel", () => {
  it("ends a job not yet finished FAILED, cancelled by the person, and refuses an ended one clearly", async () => {
    const job = await pendingJob();
    const cancelled = await kaizen("jobs", "cancel", job.id);
    expect(cancelled).toMatchObject({ code: 0, err: "" });
    expect(cancelled.out).toBe(`Cancelled job ${job.id}: cancelled by pat (kaizen jobs cancel)\n`);
    expect((await world.store.getJob(job.id))!.job).toMatchObject({
      status: "FAILED",
      error_message: "cancelled by pat (kaizen jobs cancel)",
    });

    const again = await kaizen("jobs", "cancel", job.id);
    expect(again.code).toBe(1);
    expect(again.out).toBe("");
    expect(again.err).toContain(
      `job ${job.id} already ended FAILED; only a job not yet finished can be cancelled`,
    );
    // Refusing changed nothing: the first reason stands.
    expect((await world.store.getJob(job.id))!.job.error_message).toBe(
      "cancelled by pat (kaizen jobs cancel)",
    );

    // A running job (a runner holds it), with --json.
    const claim = await claimJob(world.store, { repoKey: "local", task: "classify", triggeredBy: "manual" });
    if (!claim.claimed) throw new Error(claim.reason);
    const running = await kaizen("jobs", "cancel", claim.job.id, "--json");
    expect(running.code).toBe(0);
    expect(JSON.parse(running.out)).toMatchObject({
      id: claim.job.id,
      status: "FAILED",
      error_message: "cancelled by pat (kaizen jobs cancel)",
    });

    const unknown = await kaizen("jobs", "cancel", "0190a5f0-0000-7000-8000-000000000000");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("job 0190a5f0-0000-7000-8000-000000000000 not found");
  }, 600_000);
});

describe("kaizen prompts", () => {
  /** The baseline (active) and an optimized candidate, as a finished local run leaves them. */
  async function twoVersions(): Promise<[PromptVersion, PromptVersion]> {
    const base = {
      task_id: taskId("local", "classify"),
      dspy_version: null,
      created_at: new Date().toISOString(),
    } as const;
    const baseline: PromptVersion = {
      ...base,
      id: newId(),
      version_number: 1,
      prompt_text: SEED_PROMPT,
      eval_score: 0.2,
      status: "active",
      optimizer: null,
      job_id: null,
    };
    const candidate: PromptVersion = {
      ...base,
      id: newId(),
      version_number: 2,
      prompt_text: BETTER,
      eval_score: 0.6,
      status: "candidate",
      optimizer: "kaizen",
      job_id: newId(),
    };
    await world.store.putPromptVersion("classify", baseline);
    await world.store.putPromptVersion("classify", candidate);
    return [baseline, candidate];
  }
  const onBranch = async () =>
    (await git("git", ["show", "kaizen/classify:prompts/classify.md"], { cwd: world.dir })).stdout;
  const statuses = async () =>
    (
      JSON.parse((await kaizen("prompts", "list", "--task", "classify", "--json")).out) as PromptVersion[]
    ).map((v) => [v.version_number, v.status]);

  it("lists versions, activates one (its file on branch kaizen/<task>), rolls back, each with --json", async () => {
    const [baseline, candidate] = await twoVersions();
    const listed = await kaizen("prompts", "list", "--task", "classify");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^version\s+status\s+score\s+by/m);
    expect(listed.out).toMatch(new RegExp(`^2\\s+candidate\\s+60\\.0%\\s+kaizen.*${candidate.id}$`, "m"));
    expect(listed.out).toMatch(new RegExp(`^1\\s+active\\s+20\\.0%\\s+person.*${baseline.id}$`, "m"));
    expect(await statuses()).toEqual([
      [2, "candidate"],
      [1, "active"],
    ]);

    const activated = await kaizen("prompts", "activate", "--task", "classify", "2");
    expect(activated).toMatchObject({ code: 0, err: "" });
    expect(activated.out).toBe(
      "Version 2 of classify is active now. The prompt file is on branch kaizen/classify: merge it to bring prompts/classify.md in line.\n",
    );
    expect(await onBranch()).toBe(BETTER);
    expect(await statuses()).toEqual([
      [2, "active"],
      [1, "archived"],
    ]);

    const rolledBack = await kaizen("prompts", "rollback", "--task", "classify", "--json");
    expect(rolledBack.code).toBe(0);
    expect(JSON.parse(rolledBack.out)).toMatchObject({
      active: { id: baseline.id, version_number: 1, status: "active" },
    });
    expect(await statuses()).toEqual([
      [2, "archived"],
      [1, "active"],
    ]);

    // By id, with --json: the branch carries the activated text.
    const byId = await kaizen("prompts", "activate", "--task", "classify", candidate.id, "--json");
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.out)).toMatchObject({
      active: { id: candidate.id, status: "active" },
      branch: "kaizen/classify",
    });
    expect(await onBranch()).toBe(BETTER);
  }, 600_000);

  it("reads never write: after a person merges kaizen/<task>, status and prompts list show it active, and kaizen/data has no new commit", async () => {
    await twoVersions();
    // The candidate's branch, as a run leaves it, merged by a person with git.
    const run = (...args: string[]) =>
      git("git", args, {
        cwd: world.dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "pat",
          GIT_AUTHOR_EMAIL: "p@x",
          GIT_COMMITTER_NAME: "pat",
          GIT_COMMITTER_EMAIL: "p@x",
        },
      });
    await run("checkout", "-q", "-b", "kaizen/classify");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(world.dir, "prompts/classify.md"), BETTER);
    await run("commit", "-qam", "Kaizen: better prompt");
    await run("checkout", "-q", "main");
    await run("merge", "-q", "--no-ff", "-m", "Merge kaizen/classify", "kaizen/classify");
    const dataHead = async () => (await run("rev-parse", "kaizen/data")).stdout;
    const before = await dataHead();

    const status = await kaizen("status", "--json");
    expect(JSON.parse(status.out)).toEqual([
      expect.objectContaining({ task: "classify", active_version: 2 }),
    ]);
    expect(await statuses()).toEqual([
      [2, "active"],
      [1, "archived"],
    ]);
    expect((await kaizen("prompts", "list", "--task", "classify")).out).toMatch(/^2\s+active/m);
    expect(await dataHead()).toBe(before);
  }, 600_000);

  it("refuses what it cannot do with a clear message, and --help shows an example", async () => {
    // Nothing recorded yet: an empty list, and words that say when version 1 appears.
    const empty = await kaizen("prompts", "list", "--task", "classify", "--json");
    expect(empty).toMatchObject({ code: 0, out: "[]\n" });
    expect((await kaizen("prompts", "list", "--task", "classify")).out).toBe(
      "No versions of classify recorded yet: prompts/classify.md becomes version 1 when kaizen serve first serves it or an optimization proposes a better one.\n",
    );
    await twoVersions();

    const unknown = await kaizen("prompts", "activate", "--task", "classify", "9");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no version 9; versions: 2, 1");
    const nothingBefore = await kaizen("prompts", "rollback", "--task", "classify");
    expect(nothingBefore.code).toBe(1);
    expect(nothingBefore.err).toContain(
      "nothing to roll back to: no archived version older than the active one",
    );
    const noTask = await kaizen("prompts", "list");
    expect(noTask.code).toBe(2);
    expect(noTask.err).toContain("--task is required");
    const otherTask = await kaizen("prompts", "list", "--task", "nope");
    expect(otherTask.code).toBe(1);
    expect(otherTask.err).toContain("task nope not found");

    const help = await kaizen("prompts", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(
      /Example:\n {2}kaizen prompts list --task \S+\n {2}kaizen prompts activate --task \S+ 3/,
    );
    expect(help.out).toContain("kaizen prompts rollback --task");
  }, 600_000);
});

describe("POST /api/v1/jobs/{id}/cancel on kaizen serve", () => {
  const KEY = "cancel-test-key-0123456789abcdef0123";
  let serve: ServeProcess | undefined;
  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const post = async (route: string): Promise<{ status: number; body: any }> => {
    // A connection per request: a reused keep-alive socket can meet the server's idle timeout.
    const response = await fetch(`${serve!.url}${route}`, {
      method: "POST",
      headers: { "x-api-key": KEY, connection: "close" },
    });
    return { status: response.status, body: await response.json() };
  };

  it("answers 200 with the FAILED job, 409 once it has ended, 404 for an unknown id; the task is free again", async () => {
    // No model endpoint: the job waits PENDING, as it would for a runner.
    serve = await kaizenServe(world.dir, { KAIZEN_API_KEY: KEY, HOME: home, XDG_CACHE_HOME: home });
    const started = await post("/api/v1/tasks/classify/optimize");
    expect(started).toMatchObject({ status: 202, body: { job: { status: "PENDING" } } });
    const id = started.body.job.id as string;
    expect((await post("/api/v1/tasks/classify/optimize")).status).toBe(409);

    const cancelled = await post(`/api/v1/jobs/${id}/cancel`);
    expect(cancelled).toMatchObject({
      status: 200,
      body: { id, status: "FAILED", error_message: expect.stringMatching(/^cancelled by API key [^\s…]+…$/) },
    });
    // Who cancelled: the key's first characters, never the key.
    const prefix = /^cancelled by API key ([^\s…]+)…$/.exec(cancelled.body.error_message)![1]!;
    expect(KEY.startsWith(prefix) && prefix.length < KEY.length / 2).toBe(true);

    const again = await post(`/api/v1/jobs/${id}/cancel`);
    expect(again).toMatchObject({
      status: 409,
      body: { detail: `job ${id} already ended FAILED; only a job not yet finished can be cancelled` },
    });
    const unknown = await post("/api/v1/jobs/0190a5f0-0000-7000-8000-000000000000/cancel");
    expect(unknown).toMatchObject({ status: 404, body: { detail: expect.stringContaining("not found") } });

    // The person at the terminal sees the same job, and the task takes a new one.
    const shown = await kaizen("jobs", "show", id);
    expect(shown.out).toContain(`Job ${id} of task classify: FAILED`);
    expect(shown.out).toContain(`error: ${cancelled.body.error_message}`);
    expect((await post("/api/v1/tasks/classify/optimize")).status).toBe(202);
  }, 600_000);

  it("stops a job the server's worker is running: it ends FAILED with the reason, and no branch is written", async () => {
    const fake = await FakeOpenAI.start();
    try {
      installBrains(fake);
      // Slow enough that the search is surely under way when the cancel arrives.
      fake.latencyMs = 500;
      serve = await kaizenServe(world.dir, {
        KAIZEN_API_KEY: KEY,
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: fake.baseURL,
        KAIZEN_HEARTBEAT_SECONDS: "5",
        HOME: home,
        XDG_CACHE_HOME: home,
      });
      const started = await post("/api/v1/tasks/classify/optimize");
      expect(started.status).toBe(202);
      const id = started.body.job.id as string;
      let job = (await world.store.getJob(id))!.job;
      while (job.status !== "EVALUATING") {
        if (["SUCCESS", "FAILED", "PR_FAILED"].includes(job.status)) throw new Error(serve.log());
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await world.store.getJob(id))!.job;
      }

      const cancelled = await post(`/api/v1/jobs/${id}/cancel`);
      expect(cancelled).toMatchObject({ status: 200, body: { status: "FAILED" } });
      // The worker notices at its next heartbeat and gives the job up.
      // The console's line for a job's end (kaizen serve prints each job's start and end).
      for (let polls = 0; polls < 600 && !serve.log().includes(`job ${id} of classify ended FAILED`); polls++)
        await new Promise((resolve) => setTimeout(resolve, 250));
      expect(serve.log()).toContain(`job ${id} of classify ended FAILED: ${cancelled.body.error_message}`);
      expect((await world.store.getJob(id))!.job).toMatchObject({
        status: "FAILED",
        error_message: cancelled.body.error_message,
      });
      expect(await world.store.listPromptVersions("classify")).not.toContainEqual(
        expect.objectContaining({ status: "candidate" }),
      );
      const branches = await git("git", ["branch", "--list", "kaizen/classify"], { cwd: world.dir });
      expect(branches.stdout).toBe("");
    } finally {
      await serve?.stop();
      await fake.close();
    }
  }, 600_000);
});
