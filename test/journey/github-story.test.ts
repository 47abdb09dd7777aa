/**
 * The GitHub story, with real processes against the fake GitHub and the fake model: feedback
 * posted to the GitHub App's HTTP API crosses the task's threshold → the app sends a
 * workflow_dispatch → the Action in plan mode outputs the task → the matrix's optimize run for
 * that task runs the job the app created → a pull request is opened → a person merges it and
 * GitHub delivers the signed pull_request webhook to the app → the API and the SDK's getPrompt
 * serve the merged text as the active version.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KAIZEN_WORKFLOW } from "../../src/cli/workflow-template.js";
import type { Job, PromptVersion } from "../../src/core/records.js";
import { KaizenClient } from "../../src/sdk/index.js";
import { runActionProcess } from "../action/helpers/run-action.js";
import { closePullRequest, FakeGitHub } from "../fakes/github/index.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { builtEntry } from "../helpers/built.js";
import { installBrains, loggedFeedback, SEED_PROMPT, TASK_YAML } from "../optimizer/helpers/world.js";

const FULL = "acme/support";
const SECRET = "story-webhook-secret";
const THRESHOLD = 100;
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

type Example = { name: string; examples: Record<string, unknown>[] };
const examples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples/api.github.com/index.json",
) as Example[];

let github: FakeGitHub;
let fake: FakeOpenAI;
let appDir: string | undefined;
let app: { child: ChildProcess; url: string; log: () => string } | undefined;
beforeEach(async () => {
  github = await FakeGitHub.start();
  fake = await FakeOpenAI.start();
  installBrains(fake);
  github.createRepo(FULL, {
    files: {
      ".kaizen/tasks/classify.yml": `${TASK_YAML}feedback_threshold: ${THRESHOLD}\n`,
      "prompts/classify.md": SEED_PROMPT,
      // What `kaizen init` writes: GitHub refuses a dispatch to a workflow the repository lacks.
      ".github/workflows/kaizen.yml": KAIZEN_WORKFLOW,
    },
  });
  github.userTokens.set("admin-token", "acme");
});
afterEach(async () => {
  if (app && app.child.exitCode === null) {
    const exited = new Promise((resolve) => app!.child.on("exit", resolve));
    app.child.kill("SIGTERM");
    await exited;
  }
  app = undefined;
  if (appDir) await rm(appDir, { recursive: true, force: true });
  github.assertClean();
  await github.close();
  await fake.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The app's bundle (dist/app/index.js, built for this run) in its own process, configured as its README says. */
async function startApp(): Promise<NonNullable<typeof app>> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtEntry("app/index")], {
    // Its own directory: the app reads a `.env` in the working directory.
    cwd: (appDir = await mkdtemp(path.join(tmpdir(), "kaizen-app-"))),
    env: {
      PATH: process.env.PATH!,
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GITHUB_API_URL: github.baseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (c: Buffer) => (log += c.toString()));
  child.stderr.on("data", (c: Buffer) => (log += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited ${child.exitCode}:\n${log}`);
    const up = await fetch(`${url}/healthz`, { headers: { connection: "close" } }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, url, log: () => log };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function call(method: string, route: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${app!.url}${route}`, {
    method,
    // A connection per request: on a loaded machine a reused keep-alive socket can be closed by
    // the server's 5 s idle timeout just as the next request is written (ECONNRESET).
    headers: {
      ...headers,
      connection: "close",
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** What GitHub sends when a person merges the pull request: a signed pull_request "closed". */
async function deliverMerge(number: number) {
  const repo = github.repo(FULL);
  const pr = repo.pulls.find((p) => p.number === number)!;
  const payload = structuredClone(
    examples
      .find((e) => e.name === "pull_request")!
      .examples.find((e) => e.action === "closed" && Boolean(e.installation))!,
  ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  Object.assign(payload.repository, {
    id: repo.id,
    name: repo.name,
    full_name: FULL,
    default_branch: "main",
    owner: { ...payload.repository.owner, login: "acme" },
  });
  payload.installation.id = repo.installationId;
  Object.assign(payload.pull_request, {
    number,
    html_url: `https://github.com/${FULL}/pull/${number}`,
    state: "closed",
    merged: true,
    merge_commit_sha: pr.merge_commit_sha,
    closed_at: pr.updated_at,
    merged_at: pr.updated_at,
  });
  Object.assign(payload.pull_request.head, {
    ref: pr.head,
    sha: pr.merge_commit_sha,
    repo: structuredClone(payload.repository),
  });
  Object.assign(payload.pull_request.base, { ref: pr.base, repo: structuredClone(payload.repository) });
  const body = JSON.stringify(payload);
  const response = await fetch(`${app!.url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      connection: "close",
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe("the GitHub story", () => {
  it("threshold → workflow_dispatch → plan → matrix run → pull request → merge webhook → served by the API and getPrompt", async () => {
    app = await startApp();
    const created = await call(
      "POST",
      "/api/v1/keys",
      { authorization: "Bearer admin-token" },
      { repo: FULL },
    );
    expect(created.status, app.log()).toBe(201);
    const key = created.body.key as string;
    const entries = loggedFeedback(THRESHOLD).map(({ inputs, output, score }) => ({
      task_id: "classify",
      inputs,
      output,
      score,
    }));

    // One short of the threshold: nothing is dispatched.
    const batch = await call("POST", "/api/v1/feedback/batch", { "x-api-key": key }, entries.slice(1));
    expect(batch.status, app.log()).toBe(201);
    expect(github.repo(FULL).workflowDispatches).toEqual([]);
    const last = await call("POST", "/api/v1/feedback", { "x-api-key": key }, entries[0]);
    expect(last.status).toBe(201);
    // The app acknowledges the entry once committed, then checks the threshold and dispatches.
    const dispatches = github.repo(FULL).workflowDispatches;
    for (let waited = 0; dispatches.length === 0 && waited < 120; waited++)
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(dispatches, app.log()).toEqual([
      { workflow_id: "kaizen.yml", ref: "main", inputs: { task: "classify", "job-id": expect.any(String) } },
    ]);
    const jobId = String(dispatches[0]!.inputs["job-id"]);
    expect((await call("GET", `/api/v1/jobs/${jobId}`, { "x-api-key": key })).body).toMatchObject({
      status: "PENDING",
      triggered_by: "auto_threshold",
    });

    // GitHub starts the workflow the app named, with the inputs it sent.
    const repo = github.repo(FULL);
    const event = {
      inputs: dispatches[0]!.inputs,
      ref: "refs/heads/main",
      workflow: ".github/workflows/kaizen.yml",
      repository: { id: repo.id, name: repo.name, full_name: FULL, owner: { login: "acme" } },
    };
    const env = { GITHUB_REPOSITORY: FULL, GITHUB_API_URL: github.baseUrl, KAIZEN_GITHUB_THROTTLE: "false" };
    const plan = await runActionProcess({
      inputs: { mode: "plan" },
      eventName: "workflow_dispatch",
      event,
      env,
    });
    expect(plan.code, plan.log).toBe(0);
    const matrix = JSON.parse(plan.outputs.tasks!) as string[];
    expect(matrix).toEqual(["classify"]);

    // The optimize job of the generated workflow, once per matrix entry, as its `with:` says.
    const runs = [];
    for (const task of matrix)
      runs.push(
        await runActionProcess({
          inputs: { task, "openai-api-key": "sk-test", "openai-base-url": fake.baseURL },
          eventName: "workflow_dispatch",
          event,
          env,
        }),
      );
    const [run] = runs;
    expect(run!.code, run!.log).toBe(0);
    expect(run!.outputs["job-id"]).toBe(jobId);
    const job = (await call("GET", `/api/v1/jobs/${jobId}`, { "x-api-key": key })).body as Job;
    expect(job).toMatchObject({ status: "SUCCESS", pr_url: run!.outputs["pr-url"] });

    const [pull] = github.repo(FULL).pulls;
    expect(pull).toMatchObject({ head: "kaizen/classify", base: "main", state: "open" });
    expect(job.pr_url).toBe(`https://github.com/${FULL}/pull/${pull!.number}`);
    const proposed = github.readFile(FULL, "kaizen/classify", "prompts/classify.md");
    expect(proposed).not.toBe(SEED_PROMPT);
    const { baseline_score, best_score } = job.job_metadata as { baseline_score: number; best_score: number };
    expect(best_score).toBeGreaterThan(baseline_score);
    // Until it is merged, the baseline is what is served.
    expect((await call("GET", "/api/v1/tasks/classify/prompt", { "x-api-key": key })).body).toMatchObject({
      version_number: 1,
      prompt_text: SEED_PROMPT,
    });

    closePullRequest(github, FULL, pull!.number, true);
    const merged = github.readFile(FULL, "main", "prompts/classify.md");
    expect(merged).toBe(proposed);
    const delivered = await deliverMerge(pull!.number);
    // GitHub wants an answer within 10 s: Probot answers 202 "still processing" past that and
    // the handler goes on; either is a delivery GitHub counts as received.
    expect([200, 202], `${delivered.text}\n${app.log()}`).toContain(delivered.status);

    let served = await call("GET", "/api/v1/tasks/classify/prompt", { "x-api-key": key });
    for (let waited = 0; served.body?.version_number === 1 && waited < 120; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      served = await call("GET", "/api/v1/tasks/classify/prompt", { "x-api-key": key });
    }
    expect(served, app.log()).toMatchObject({
      status: 200,
      body: { id: job.prompt_version_id, status: "active", prompt_text: merged },
    });
    const versions = (await call("GET", "/api/v1/tasks/classify/prompts", { "x-api-key": key }))
      .body as PromptVersion[];
    expect(versions.map((v) => [v.version_number, v.status])).toEqual([
      [2, "active"],
      [1, "archived"],
    ]);
    const sdk = new KaizenClient({ apiKey: key, baseUrl: app.url });
    expect((await sdk.getPrompt("classify")).prompt).toMatchObject({
      id: job.prompt_version_id,
      status: "active",
      prompt_text: merged,
    });
  }, 600_000);
});
