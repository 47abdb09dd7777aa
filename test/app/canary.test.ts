/**
 * The canary through real HTTP: two `kaizen serve` instances of one repository (the second in its
 * own OS process), production traffic of 1,000 units, feedback naming the version it scored, and
 * `kaizen canary` as a real process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../src/app/local.js";
import { createApiKey } from "../../src/app/auth/api-keys.js";
import { newId } from "../../src/core/ids.js";
import type { PromptVersion } from "../../src/core/records.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";
import { kaizenProcess } from "../cli/helpers/kaizen-process.js";
import { builtEntry } from "../helpers/built.js";

const TASK = "greet";
const FILES = {
  ".kaizen/tasks/greet.yml": [
    "name: greet",
    "prompt_path: prompts/greet.txt",
    "canary:",
    "  share: 0.2",
    "  min_samples: 30",
    "  max_loss: 0.05",
    "",
  ].join("\n"),
  "prompts/greet.txt": "Greet {{name}}.\n",
};
const UNITS = Array.from({ length: 1_000 }, (_, i) => `user-${i}`);

let dir: string;
let key: string;
let first: LocalServer;
let second: { child: ChildProcess; url: string };
let active: PromptVersion;
let candidate: PromptVersion;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kaizen-canary-"));
  await initRepository(dir, FILES);
  const created = createApiKey("local", "local/canary", "test");
  key = created.key;
  const store = await LocalGitStore.open(dir);
  await store.putKey(created.record);
  first = await startLocalServer({ repoDir: dir, port: 0, apiKey: key });
  active = (await call(first.url, `/api/v1/tasks/${TASK}/prompt`)).body;
  candidate = {
    ...active,
    id: newId(),
    version_number: 2,
    status: "candidate",
    prompt_text: "Greet {{name}} warmly.\n",
  };
  await store.putPromptVersion(TASK, candidate);
  const child = spawn(process.execPath, [builtEntry("test-helpers/serve-process"), dir, key], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  second = { child, url: /READY (\S+)/.exec(line.toString())![1]! };
});

afterEach(async () => {
  second.child.kill();
  await once(second.child, "exit");
  await first.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(
  base: string,
  route: string,
  body?: unknown,
  // Response bodies are whatever JSON the route returns; tests assert on their fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${base}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** The version id each unit is served by one instance (16 requests in flight, as clients would). */
async function servedIds(base: string, units: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < units.length; i += 16) {
    const responses = await Promise.all(
      units
        .slice(i, i + 16)
        .map((unit) => call(base, `/api/v1/tasks/${TASK}/prompt?unit=${encodeURIComponent(unit)}`)),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      ids.push(response.body.id);
    }
  }
  return ids;
}

/** Each unit's outcome scored 1 or 0 by version, posted as feedback naming the version served. */
async function scoreTraffic(
  units: readonly string[],
  ids: readonly string[],
  scoreOf: (versionId: string) => number,
) {
  const entries = units.map((unit, i) => ({
    task_id: TASK,
    inputs: { name: unit },
    output: "Hello",
    score: scoreOf(ids[i]!),
    prompt_version_id: ids[i],
  }));
  for (let i = 0; i < entries.length; i += 250)
    expect((await call(first.url, "/api/v1/feedback/batch", entries.slice(i, i + 250))).status).toBe(201);
}

describe("serving the canary", () => {
  it("serves the candidate to its share of 1,000 units (±5 points), the same unit the same version on every instance, and the active version without a unit", async () => {
    const ids = await servedIds(first.url, UNITS);
    const share = ids.filter((id) => id === candidate.id).length / UNITS.length;
    expect(Math.abs(share - 0.2)).toBeLessThanOrEqual(0.05);
    expect(new Set(ids)).toEqual(new Set([active.id, candidate.id]));
    // Sticky: asked again, and asked of the other instance, every unit gets what it got.
    expect(await servedIds(first.url, UNITS.slice(0, 200))).toEqual(ids.slice(0, 200));
    expect(await servedIds(second.url, UNITS.slice(0, 200))).toEqual(ids.slice(0, 200));

    const plain = await call(first.url, `/api/v1/tasks/${TASK}/prompt`);
    expect(plain.body.id).toBe(active.id);
    expect(plain.headers.get("etag")).toBe(`"${active.id}"`);
    expect(plain.headers.get("x-kaizen-canary")).toBe(
      `candidate=${candidate.id}; active=${active.id}; share=0.2`,
    );

    const bad = await call(first.url, `/api/v1/tasks/${TASK}/prompt?unit=`);
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(["query", "unit"]);
  });

  it("records prompt_version_id on feedback and on scored traces, and tallies both in the canary", async () => {
    await scoreTraffic(["a"], [candidate.id], () => 1);
    const trace = await call(first.url, "/api/v1/traces", {
      task_id: TASK,
      prompt_text: "Greet b.",
      response_text: "Hi b",
      prompt_version_id: active.id,
    });
    expect(trace.status).toBe(201);
    expect(trace.body.prompt_version_id).toBe(active.id);
    expect((await call(first.url, `/api/v1/traces/${trace.body.id}/score`, { score: 0.5 })).status).toBe(200);

    const feedback = (await call(first.url, `/api/v1/tasks/${TASK}/feedback`)).body;
    expect(feedback.map((f: { prompt_version_id: string }) => f.prompt_version_id).sort()).toEqual(
      [active.id, candidate.id].sort(),
    );
    const canary = (await call(first.url, `/api/v1/tasks/${TASK}/canary`)).body;
    expect(canary).toMatchObject({
      candidate_version_id: candidate.id,
      share: 0.2,
      arms: { active: { n: 1, mean: 0.5 }, candidate: { n: 1, mean: 1 } },
      decision: "collecting",
    });
    expect(Object.keys(canary).sort()).toEqual(
      ["arms", "candidate_version_id", "decision", "difference", "reason", "share"].sort(),
    );
    expect(canary.difference.estimate).toBe(0.5);
    expect(canary.difference.low).toBeLessThan(0);
    expect(canary.difference.high).toBeGreaterThan(0);
  });
});

describe("deciding", () => {
  it("stops a worse candidate: from then on the second instance serves every unit the active version", async () => {
    const ids = await servedIds(first.url, UNITS);
    await scoreTraffic(UNITS, ids, (id) => (id === candidate.id ? 0 : 1));
    const canary = (await call(second.url, `/api/v1/tasks/${TASK}/canary`)).body;
    expect(canary.decision).toBe("stop");
    expect(canary.share).toBe(0);
    expect(canary.reason).toMatch(/worse by more than max_loss 0.05/);
    expect(canary.difference.high).toBeLessThan(-0.05);
    expect(new Set(await servedIds(second.url, UNITS))).toEqual(new Set([active.id]));
  });

  it("promotes a better candidate; `kaizen canary promote` makes it active, served to every unit on the second instance", async () => {
    const ids = await servedIds(first.url, UNITS);
    await scoreTraffic(UNITS, ids, (id) => (id === candidate.id ? 1 : 0));
    const canary = (await call(first.url, `/api/v1/tasks/${TASK}/canary`)).body;
    expect(canary.decision).toBe("promote");
    expect(canary.arms.candidate.n).toBeGreaterThanOrEqual(30);
    expect(canary.difference.low).toBeGreaterThan(0);

    const promoted = await kaizenProcess(dir, {}, "canary", "promote", "--task", TASK, "--json");
    expect(promoted.err).toBe("");
    expect(promoted.code).toBe(0);
    expect(JSON.parse(promoted.out)).toMatchObject({ decision: "promote", share: 0 });
    expect(new Set(await servedIds(second.url, UNITS))).toEqual(new Set([candidate.id]));
  });

  it("`kaizen canary stop` stops it by hand, for every instance", async () => {
    const stopped = await kaizenProcess(dir, {}, "canary", "stop", "--task", TASK);
    expect(stopped.code).toBe(0);
    expect(stopped.out).toMatch(/^decision: {3}stop$/m);
    expect(new Set(await servedIds(second.url, UNITS.slice(0, 300)))).toEqual(new Set([active.id]));
    const status = await kaizenProcess(dir, {}, "canary", "status", "--task", "nope");
    expect(status.code).not.toBe(0);
    expect(status.err).toMatch(/task nope not found/);
  });
});
