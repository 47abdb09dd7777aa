import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_BRANCH } from "../../src/store/layout.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { feedbackBatch } from "../helpers/records.js";
import { describeStoreConformance, type StoreWorld } from "./store-conformance.js";

let github: FakeGitHub;
let repoNumber = 0;
beforeAll(async () => {
  github = await FakeGitHub.start();
  // These tests pin the store's contract with time compressed; pacing writes inside GitHub's
  // per-minute limit is ingestion's job, tested with the limit on.
  github.limits.contentPerMinute = Infinity;
});
afterAll(async () => {
  github.assertClean();
  await github.close();
});

function githubWorld(): StoreWorld {
  const fullName = `acme/support-${++repoNumber}`;
  github.createRepo(fullName);
  const repo = { owner: "acme", repo: fullName.split("/")[1]! };
  const open = () => new GitHubStore(testOctokit(github), repo);
  return {
    store: open(),
    openAnother: () => Promise.resolve(open()),
    commitToDefaultBranch(files: Record<string, string>) {
      github.commitFiles(fullName, "main", files, "Add files");
      return Promise.resolve();
    },
    branchHead: (branch: string) =>
      Promise.resolve(github.repo(fullName).refs.get(`refs/heads/${branch}`) ?? null),
    cleanup: () => {
      github.repos.delete(fullName);
      return Promise.resolve();
    },
  };
}

describeStoreConformance("GitHubStore", githubWorld);

describe("GitHubStore on its own", () => {
  it("appends with three requests once it knows the branch, and reads nothing in between", async () => {
    const world = githubWorld();
    await world.store.appendFeedback("summarize", feedbackBatch("summarize", 0, 10), {
      retentionLimit: 1000,
    });
    github.resetCounts();
    await world.store.appendFeedback("summarize", feedbackBatch("summarize", 10, 10), {
      retentionLimit: 1000,
    });
    expect(Object.fromEntries(github.counts)).toEqual({
      "POST /repos/{owner}/{repo}/git/trees": 1,
      "POST /repos/{owner}/{repo}/git/commits": 1,
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}": 1,
    });
  });

  it("re-reads and re-applies when another writer moved the branch", async () => {
    const world = githubWorld();
    const other = await world.openAnother();
    await world.store.appendFeedback("summarize", feedbackBatch("summarize", 0, 5), { retentionLimit: 1000 });
    await other.appendFeedback("summarize", feedbackBatch("summarize", 5, 5), { retentionLimit: 1000 });
    github.resetCounts();
    const result = await world.store.appendFeedback("summarize", feedbackBatch("summarize", 10, 5), {
      retentionLimit: 1000,
    });
    expect(result.state.feedback_total).toBe(15);
    expect(github.counts.get("PATCH /repos/{owner}/{repo}/git/refs/{ref}")).toBe(2);
    expect(result.commit).toBe(await world.branchHead(DATA_BRANCH));
  });

  it("says which request GitHub refused and why", async () => {
    const world = githubWorld();
    github.failNext("POST", "/repos/{owner}/{repo}/git/trees", 1, 403, {
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest",
    });
    await expect(
      world.store.appendFeedback("summarize", feedbackBatch("summarize", 0, 1), { retentionLimit: 10 }),
    ).rejects.toThrow(
      "GitHub refused POST /repos/{owner}/{repo}/git/trees (HTTP 403): Resource not accessible by integration",
    );
  });
});
