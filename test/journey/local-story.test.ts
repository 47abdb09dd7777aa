/**
 * The local story, with real processes: `kaizen serve` on a repository with logged feedback and
 * a model endpoint (the fake OpenAI-compatible server) → a job asked for over the API → the
 * server's worker runs it → the better prompt waits on branch kaizen/<task> → a person merges it
 * with real git → the server and the SDK serve the merged prompt as the active version.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Job, PromptVersion } from "../../src/core/records.js";
import { KaizenClient } from "../../src/sdk/index.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { kaizenServe, type ServeProcess } from "../cli/helpers/kaizen-process.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, RULES, SEED_PROMPT, worldRepo } from "../optimizer/helpers/world.js";

const git = promisify(execFile);
const API_KEY = "local-story-key-0123456789abcdef0123";
const PERSON = ["-c", "user.name=Pat Reviewer", "-c", "user.email=pat@example.com"];

let fake: FakeOpenAI;
let world: { dir: string; store: LocalGitStore };
let cache: string;
let serve: ServeProcess | undefined;
beforeEach(async () => {
  fake = await FakeOpenAI.start();
  installBrains(fake);
  world = await worldRepo(100);
  cache = await mkdtemp(path.join(tmpdir(), "kaizen-xdg-"));
});
afterEach(async () => {
  await serve?.stop();
  await fake.close();
  await rm(world.dir, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, route: string): Promise<{ status: number; body: any }> {
  // A connection per request: on a loaded machine a reused keep-alive socket can be closed by the
  // server's 5 s idle timeout just as the next request is written (ECONNRESET).
  const response = await fetch(`${serve!.url}${route}`, {
    method,
    headers: { "x-api-key": API_KEY, connection: "close" },
  });
  return { status: response.status, body: await response.json() };
}

/** Polls the job as a client would, until it has ended (the test's timeout bounds the wait). */
async function ended(jobId: string): Promise<Job> {
  for (;;) {
    const { body } = await call("GET", `/api/v1/jobs/${jobId}`);
    if (["SUCCESS", "FAILED", "PR_FAILED"].includes((body as Job).status)) return body as Job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("the local story", () => {
  it("kaizen serve → POST optimize → the worker's branch kaizen/classify → git merge → the merged prompt served as active", async () => {
    serve = await kaizenServe(world.dir, {
      KAIZEN_API_KEY: API_KEY,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.baseURL,
      XDG_CACHE_HOME: cache,
      HOME: cache,
    });
    const before = await call("GET", "/api/v1/tasks/classify/prompt");
    expect(before).toMatchObject({ status: 200, body: { version_number: 1, prompt_text: SEED_PROMPT } });

    const started = await call("POST", "/api/v1/tasks/classify/optimize");
    expect(started.status).toBe(202);
    const job = await ended(started.body.job.id);
    expect(job, serve.log()).toMatchObject({
      status: "SUCCESS",
      progress_step: "Branch kaizen/classify written",
    });

    // The better prompt waits on its branch; until it is merged, the baseline is still served.
    const { stdout: proposed } = await git("git", ["show", "kaizen/classify:prompts/classify.md"], {
      cwd: world.dir,
    });
    expect(proposed).not.toBe(SEED_PROMPT);
    expect(proposed).toMatch(new RegExp(`${RULES.refund}|${RULES.crash}`));
    const versions = (await call("GET", "/api/v1/tasks/classify/prompts")).body as PromptVersion[];
    const candidate = versions.find((v) => v.id === job.prompt_version_id)!;
    expect(candidate).toMatchObject({ status: "candidate", prompt_text: proposed });
    // Better on the held-out entries than the prompt it replaces, by the job's own measure.
    const { baseline_score, best_score } = job.job_metadata as { baseline_score: number; best_score: number };
    expect(candidate.eval_score).toBe(best_score);
    expect(best_score).toBeGreaterThan(baseline_score);
    expect((await call("GET", "/api/v1/tasks/classify/prompt")).body.version_number).toBe(1);

    await git("git", [...PERSON, "merge", "--no-edit", "kaizen/classify"], { cwd: world.dir });
    const merged = await readFile(path.join(world.dir, "prompts/classify.md"), "utf8");
    expect(merged).toBe(proposed);

    const served = await call("GET", "/api/v1/tasks/classify/prompt");
    expect(served).toMatchObject({
      status: 200,
      body: { id: candidate.id, status: "active", prompt_text: merged },
    });
    const sdk = new KaizenClient({ apiKey: API_KEY, baseUrl: serve.url });
    expect((await sdk.getPrompt("classify")).prompt).toMatchObject({ id: candidate.id, prompt_text: merged });
  }, 420_000);
});
