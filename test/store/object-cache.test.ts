import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../src/github/client.js";
import { GitHubBackend } from "../../src/store/github-backend.js";
import { ObjectCache } from "../../src/store/object-cache.js";
import { FakeGitHub } from "../fakes/github/index.js";

let github: FakeGitHub;
const repo = { owner: "acme", repo: "objects" };
const FILES = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`docs/file-${i}.md`, `${"x".repeat(2_000)} ${i}\n`]),
);

beforeAll(async () => {
  github = await FakeGitHub.start();
  github.createRepo("acme/objects", { files: FILES });
});
afterAll(() => github.close());
afterEach(() => {
  github.assertClean();
  github.resetCounts();
});

const client = () =>
  createGitHubClient({ auth: "ghs_test_token", baseUrl: github.baseUrl, retry: false, throttle: false });

describe("the one cache of immutable git objects", () => {
  it("is the client's, shared by the store over it: a tree the store listed is not asked for, nor held by the ETag cache", async () => {
    const octokit = client();
    const backend = new GitHubBackend(octokit, repo);
    const commit = (await backend.head("main"))!;
    const files = await backend.listFiles(commit, "");
    expect(files.size).toBe(40);
    expect(octokit.objects.keys("listing")).toEqual([`${commit}:`]);
    github.resetCounts();
    // What pulls.ts does to open a pull request on that commit: the same listing, by sha.
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      ...repo,
      tree_sha: commit,
      recursive: "1",
    });
    expect(data.tree.filter((entry) => entry.type === "blob")).toHaveLength(40);
    expect(github.count()).toBe(0);
    // Only the branch's ref is revalidated with an ETag; the objects named by their sha never are.
    expect(octokit.etagCache.size).toBe(1);
  });

  it("stays within its budget in bytes, reading again what it let go", async () => {
    const objects = new ObjectCache(40_000);
    const backend = new GitHubBackend(client(), repo, { objects });
    const files = await backend.listFiles((await backend.head("main"))!, "docs");
    github.resetCounts();
    for (const sha of files.values()) {
      await backend.readBlob(sha);
      expect(objects.bytes).toBeLessThanOrEqual(40_000);
    }
    expect(github.count()).toBe(40);
    // The most recent blobs are kept; the first ones were let go and are read again.
    const [first, last] = [[...files][0]!, [...files].at(-1)!];
    expect(await backend.readBlob(last[1])).toBe(FILES[last[0]]);
    expect(github.count()).toBe(40);
    expect(await backend.readBlob(first[1])).toBe(FILES[first[0]]);
    expect(github.count()).toBe(41);
  });

  it("does not keep one object over a quarter of its budget", () => {
    const objects = new ObjectCache(4_000);
    objects.set("blob", "a".repeat(40), "too large", 1_001);
    objects.set("blob", "b".repeat(40), "kept", 1_000);
    expect(objects.get("blob", "a".repeat(40))).toBeUndefined();
    expect(objects.get("blob", "b".repeat(40))).toBe("kept");
  });
});
