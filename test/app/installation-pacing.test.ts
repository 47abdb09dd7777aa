/**
 * GitHub's secondary limit on content creation counts per installation: two busy repositories of
 * one organization share it. Ingestion must pace their commits together, and share the turns
 * fairly between them. The fake GitHub enforces the limit (in a window shortened to seconds).
 */
import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Octokit } from "octokit";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createAppServer, type AppServer, type AppServerOptions } from "../../src/app/server.js";
import { FakeGitHub } from "../fakes/github/index.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const FILES = {
  ".kaizen/tasks/summarize.yml":
    "name: summarize\nfeedback_threshold: 100000\nprompt_path: prompts/summarize.md\n",
  "prompts/summarize.md": "Summarize {{ticket}}\n",
};

let github: FakeGitHub | undefined;
let app: AppServer | undefined;
afterEach(async () => {
  if (app) await new Promise<void>((resolve) => app!.server.close(() => resolve()));
  github?.assertClean();
  await github?.close();
});

/** The app over two repositories of one installation, each with an API key and a first write made. */
async function oneInstallationTwoRepos(
  pacing: Pick<AppServerOptions, "minCommitIntervalMs" | "hourlyBudget">,
) {
  github = await FakeGitHub.start();
  const a = github.createRepo("acme/a", { files: FILES });
  github.createRepo("acme/b", { files: FILES, installationId: a.installationId });
  github.userTokens.set("admin-token", "acme");
  const Octo = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    baseUrl: github!.baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  }));
  const probot = new Probot({ appId: 1, privateKey, secret: "s", logLevel: "fatal", Octokit: Octo });
  app = await createAppServer({
    probot,
    ...pacing,
    userClient: (token) =>
      new Octokit({
        auth: token,
        baseUrl: github!.baseUrl,
        retry: { enabled: false },
        throttle: { enabled: false },
      }),
  });
  await new Promise<void>((resolve) => app!.server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const call = async (path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        ...(key.startsWith("kz_") ? { "x-api-key": key } : { authorization: `Bearer ${key}` }),
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const keys: Record<string, string> = {};
  for (const repo of ["acme/a", "acme/b"]) {
    const created = await call("/api/v1/keys", "admin-token", { repo });
    expect(created.status).toBe(201);
    keys[repo] = JSON.parse(created.text).key;
  }
  // Each key's first feedback also creates what a first write needs; let that pass unlimited.
  for (const repo of ["acme/a", "acme/b"])
    expect((await call("/api/v1/feedback", keys[repo]!, entry("warm-up"))).status).toBe(201);
  return { github, installationId: a.installationId, call, keys };
}

it("paces the commits of an installation's repositories together, taking turns", async () => {
  // 3 requests a commit, one commit a second: about 7 commits (21 requests) in any 6 s for the
  // whole installation, room to 30 for a loaded machine's jitter. Each repository paced on its
  // own makes twice that (36 and more) while both are busy.
  // (The hourly budget is off: this test is about the minute.)
  const { github, installationId, call, keys } = await oneInstallationTwoRepos({
    minCommitIntervalMs: 1_000,
    hourlyBudget: { commits: Infinity },
  });
  github.limits.contentWindowMs = 6_000;
  github.limits.contentPerMinute = 30;
  const busyClient = async (repo: string, client: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await call("/api/v1/feedback", keys[repo]!, entry(`${repo} ${client}.${i}`))).status);
    return statuses;
  };
  const statuses = await Promise.all(
    ["acme/a", "acme/b"].flatMap((repo) => [0, 1, 2].map((client) => busyClient(repo, client))),
  );

  expect(statuses.flat()).toEqual(Array(48).fill(201));
  expect(github.secondaryLimited).toBe(0);
  const metrics = await call("/metrics", keys["acme/a"]!);
  const perInstallation = metrics.text.match(
    new RegExp(
      `kaizen_installation_content_requests_per_minute\\{installation="${installationId}"\\} (\\d+)`,
    ),
  );
  expect(Number(perInstallation?.[1])).toBeGreaterThan(0);
  expect(Number(perInstallation?.[1])).toBeLessThanOrEqual(80);
});

/**
 * GitHub's hourly limit (500 content-creating requests) binds long before the per-minute one
 * (80) for a load that lasts: here an "hour" of 5 s allows 15 requests, and the per-minute limit
 * is out of the way. One client per repository makes one commit per request: 10 commits are 30
 * requests, twice the hour's allowance.
 */
describe("GitHub's hourly limit on content creation", () => {
  const HOUR_MS = 5_000;
  const busyHour = async (pacing: Pick<AppServerOptions, "minCommitIntervalMs" | "hourlyBudget">) => {
    const world = await oneInstallationTwoRepos(pacing);
    world.github.limits.contentPerMinute = Infinity;
    world.github.limits.contentPerHour = 15;
    world.github.limits.contentHourWindowMs = HOUR_MS;
    // The warm-up's writes leave the fake's hour, and the pacer's budget refills.
    await new Promise((resolve) => setTimeout(resolve, HOUR_MS));
    const client = async (repo: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (await world.call("/api/v1/feedback", world.keys[repo]!, entry(`${repo} ${i}`))).status,
        );
      return statuses;
    };
    const statuses = (await Promise.all(["acme/a", "acme/b"].map(client))).flat();
    return { ...world, statuses };
  };

  it("fails code that paces only per minute", async () => {
    const { github, statuses } = await busyHour({
      minCommitIntervalMs: 100,
      hourlyBudget: { commits: Infinity },
    });
    expect(github.secondaryLimited).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201).length).toBeGreaterThan(0);
  }, 60_000);

  it("is respected by pacing each installation per hour as well, with the hour's rate in /metrics", async () => {
    // 4 commits (12 requests) in any "hour": a margin of one commit for requests that reach
    // GitHub a little after their turn.
    const { github, statuses, call, keys, installationId } = await busyHour({
      minCommitIntervalMs: 100,
      hourlyBudget: { commits: 4, windowMs: HOUR_MS },
    });
    expect(statuses).toEqual(Array(10).fill(201));
    expect(github.secondaryLimited).toBe(0);
    const metrics = await call("/metrics", keys["acme/a"]!);
    const perHour = metrics.text.match(
      new RegExp(
        `kaizen_installation_content_requests_per_hour\\{installation="${installationId}"\\} (\\d+)`,
      ),
    );
    // Both repositories' commits, the warm-up's included: 12 commits of 3 requests.
    expect(Number(perHour?.[1])).toBe(36);
  }, 90_000);
});

function entry(ticket: string) {
  return { task_id: "summarize", inputs: { ticket }, output: "ok", score: 0.5 };
}
