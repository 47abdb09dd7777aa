import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../src/github/client.js";
import { FakeGitHub } from "../fakes/github/index.js";

let github: FakeGitHub;
const REF = "GET /repos/{owner}/{repo}/git/ref/{ref}";
const repo = { owner: "acme", repo: "client", ref: "heads/main" };

beforeAll(async () => {
  github = await FakeGitHub.start();
  github.createRepo("acme/client", { files: { "README.md": "hello\n" } });
});
afterAll(() => github.close());
afterEach(() => {
  github.assertClean();
  github.resetCounts();
});

function client(options: { retry?: boolean; throttle?: boolean }, warnings: string[] = []) {
  return createGitHubClient({
    auth: "ghs_test_token",
    baseUrl: github.baseUrl,
    log: { warn: (m) => warnings.push(m) },
    ...options,
  });
}

describe("createGitHubClient", () => {
  it("surfaces a server error at once when retries are off, naming the status", async () => {
    github.failNext("GET", "/repos/{owner}/{repo}/git/ref/{ref}", 1, 502, { message: "Bad gateway" });
    await expect(client({ retry: false, throttle: false }).request(REF, repo)).rejects.toMatchObject({
      status: 502,
    });
    expect(github.count()).toBe(1);
  });

  it("retries a server error when retries are on", async () => {
    github.failNext("GET", "/repos/{owner}/{repo}/git/ref/{ref}", 1, 502, { message: "Bad gateway" });
    const response = await client({ retry: true, throttle: false }).request(REF, repo);
    expect(response.data.ref).toBe("refs/heads/main");
    expect(github.count()).toBe(2);
  });

  it("waits out a secondary rate limit as retry-after says, then succeeds, and says so in the log", async () => {
    const warnings: string[] = [];
    github.failNext(
      "GET",
      "/repos/{owner}/{repo}/git/ref/{ref}",
      1,
      403,
      { message: "You have exceeded a secondary rate limit" },
      { "retry-after": "1" },
    );
    const response = await client({ retry: false, throttle: true }, warnings).request(REF, repo);
    expect(response.data.ref).toBe("refs/heads/main");
    expect(github.count()).toBe(2);
    expect(warnings.join("\n")).toContain("secondary rate limit");
  });

  it("gives up at once on a spent primary rate limit that resets in an hour, instead of hanging", async () => {
    const warnings: string[] = [];
    github.limits.requestsPerHour = 0;
    try {
      await expect(
        client({ retry: false, throttle: true }, warnings).request("GET /repos/{owner}/{repo}", repo),
      ).rejects.toMatchObject({ status: 403 });
    } finally {
      github.limits.requestsPerHour = 5_000;
    }
    expect(warnings.join("\n")).toMatch(/rate limit spent .* resets in \d+ s, not waiting/);
  });

  for (const status of [403, 429] as const)
    it(`waits out the fake's own secondary limit on content creation answered ${status}, then writes`, async () => {
      const warnings: string[] = [];
      const limitedBefore = github.secondaryLimited;
      Object.assign(github.limits, { refusalStatus: status, contentPerMinute: 1, retryAfterSeconds: 1 });
      // The minute passes while the client waits as told: the limit lifts once it says it waits.
      const lift = (message: string) => {
        warnings.push(message);
        github.limits.contentPerMinute = 80;
      };
      try {
        const octokit = createGitHubClient({
          auth: "ghs_test_token",
          baseUrl: github.baseUrl,
          log: { warn: lift },
          retry: false,
          throttle: true,
        });
        const blob = { owner: "acme", repo: "client", content: "a", encoding: "utf-8" };
        await octokit.request("POST /repos/{owner}/{repo}/git/blobs", blob);
        const second = await octokit.request("POST /repos/{owner}/{repo}/git/blobs", {
          ...blob,
          content: "b",
        });
        expect(second.status).toBe(201);
      } finally {
        Object.assign(github.limits, { refusalStatus: 403, contentPerMinute: 80, retryAfterSeconds: 60 });
      }
      expect(github.secondaryLimited).toBe(limitedBefore + 1);
      expect(warnings.join("\n")).toContain("secondary rate limit on POST");
    });

  it("gives up at once on a spent primary rate limit answered 429, as it does on 403", async () => {
    const warnings: string[] = [];
    github.limits.requestsPerHour = 0;
    github.limits.refusalStatus = 429;
    try {
      await expect(
        client({ retry: false, throttle: true }, warnings).request("GET /repos/{owner}/{repo}", repo),
      ).rejects.toMatchObject({ status: 429 });
    } finally {
      github.limits.requestsPerHour = 5_000;
      github.limits.refusalStatus = 403;
    }
    expect(warnings.join("\n")).toMatch(/rate limit spent .* resets in \d+ s, not waiting/);
  });

  it("revalidates a cached GET with its ETag and forgets it once invalidated", async () => {
    const octokit = client({ retry: false, throttle: false });
    const first = await octokit.request(REF, repo);
    const second = await octokit.request(REF, repo);
    expect(second.data).toEqual(first.data);
    expect(octokit.etagCache.size).toBe(1);
    octokit.etagCache.invalidate((key) => key.includes("/git/ref/"));
    expect(octokit.etagCache.size).toBe(0);
    const third = await octokit.request(REF, repo);
    expect(third.status).toBe(200);
  });

  it("does not swallow a 304 it has no cached body for", async () => {
    const octokit = client({ retry: false, throttle: false });
    const etag = (await fetch(`${github.baseUrl}/repos/acme/client/git/ref/heads/main`)).headers.get("etag")!;
    await expect(octokit.request(REF, { ...repo, headers: { "if-none-match": etag } })).rejects.toMatchObject(
      { status: 304 },
    );
  });
});
