import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../src/github/client.js";
import { FakeGitHub, testOctokit } from "./index.js";

let github: FakeGitHub;
beforeEach(async () => {
  github = await FakeGitHub.start();
  github.createRepo("acme/bot", { files: { "README.md": "hello\n", "prompts/a.md": "Say {{x}}\n" } });
});
afterEach(async () => github.close());

const repo = { owner: "acme", repo: "bot" };

describe("the fake GitHub", () => {
  it("hashes objects exactly as git does", async () => {
    const octokit = testOctokit(github);
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/git/blobs", {
      ...repo,
      content: "hello\n",
    });
    expect(data.sha).toBe(
      execFileSync("git", ["hash-object", "--stdin"], { input: "hello\n" }).toString().trim(),
    );
  });

  it("builds nested trees from paths, deletes with sha: null, and lists recursively", async () => {
    const octokit = testOctokit(github);
    const head = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...repo,
      ref: "heads/main",
    });
    const base = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
      ...repo,
      commit_sha: head.data.object.sha,
    });
    const tree = await octokit.request("POST /repos/{owner}/{repo}/git/trees", {
      ...repo,
      base_tree: base.data.tree.sha,
      tree: [
        { path: "a/b/c.json", mode: "100644", type: "blob", content: "{}" },
        { path: "prompts/a.md", mode: "100644", type: "blob", sha: null },
      ],
    });
    const listing = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      ...repo,
      tree_sha: tree.data.sha,
      recursive: "1",
    });
    expect(listing.data.tree.filter((e) => e.type === "blob").map((e) => e.path)).toEqual([
      "README.md",
      "a/b/c.json",
    ]);
  });

  it("refuses a ref update that is not a fast forward unless forced, and an existing ref's creation", async () => {
    const octokit = testOctokit(github);
    const main = github.repo("acme/bot").refs.get("refs/heads/main")!;
    const mainCommit = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
      ...repo,
      commit_sha: main,
    });
    const sibling = await octokit.request("POST /repos/{owner}/{repo}/git/commits", {
      ...repo,
      message: "orphan",
      tree: mainCommit.data.tree.sha,
      parents: [],
    });
    await expect(
      octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
        ...repo,
        ref: "heads/main",
        sha: sibling.data.sha,
        force: false,
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: "Update is not a fast forward" } },
    });
    await octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      ...repo,
      ref: "heads/main",
      sha: sibling.data.sha,
      force: true,
    });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: "refs/heads/main", sha: main }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      ...repo,
      ref: "refs/heads/kaizen/data",
      sha: sibling.data.sha,
    });
    expect(github.repo("acme/bot").refs.get("refs/heads/kaizen/data")).toBe(sibling.data.sha);
  });

  it("guards Contents API updates with the file's sha", async () => {
    const octokit = testOctokit(github);
    const file = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: "README.md",
    });
    const sha = (file.data as { sha: string }).sha;
    const content = Buffer.from("changed\n").toString("base64");
    await expect(
      octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        ...repo,
        path: "README.md",
        message: "m",
        content,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        ...repo,
        path: "README.md",
        message: "m",
        content,
        sha: "0".repeat(40),
      }),
    ).rejects.toMatchObject({ status: 409 });
    const updated = await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: "README.md",
      message: "m",
      content,
      sha,
    });
    expect(updated.status).toBe(200);
    expect(github.readFile("acme/bot", "main", "README.md")).toBe("changed\n");
  });

  it("answers a repeated GET with 304 when nothing changed, and the client serves its cache", async () => {
    const octokit = testOctokit(github);
    const first = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...repo,
      ref: "heads/main",
    });
    const second = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...repo,
      ref: "heads/main",
    });
    expect(second.data).toEqual(first.data);
    const response = await fetch(`${github.baseUrl}/repos/acme/bot/git/ref/heads/main`, {
      headers: { "if-none-match": first.headers.etag! },
    });
    expect(response.status).toBe(304);
    github.commitFiles("acme/bot", "main", { "x.txt": "x" }, "change");
    const third = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      ...repo,
      ref: "heads/main",
    });
    expect(third.data.object.sha).not.toBe(first.data.object.sha);
  });

  it("records a request to a route GitHub does not have, and refuses to register one", async () => {
    const response = await fetch(`${github.baseUrl}/repos/acme/bot/kaizen-magic`);
    expect(response.status).toBe(404);
    expect(github.unmatched).toEqual(["GET /repos/acme/bot/kaizen-magic"]);
    expect(() => github.assertClean()).toThrow("no such route: GET /repos/acme/bot/kaizen-magic");
    github.unmatched.length = 0;
    expect(() => github.route("GET", "/repos/{owner}/{repo}/kaizen-magic", () => ({ status: 200 }))).toThrow(
      "GitHub has no route GET /repos/{owner}/{repo}/kaizen-magic",
    );
  });

  it("opens, finds by head, updates and lists the files of pull requests, counting requests by route", async () => {
    const octokit = testOctokit(github);
    github.commitFiles("acme/bot", "main", {}, "base");
    const main = github.repo("acme/bot").refs.get("refs/heads/main")!;
    github.repo("acme/bot").refs.set("refs/heads/kaizen/a", main);
    github.commitFiles("acme/bot", "kaizen/a", { "prompts/a.md": "Say {{x}} politely\n" }, "better");
    const created = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      ...repo,
      title: "Better prompt",
      head: "kaizen/a",
      base: "main",
      body: "report",
    });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/pulls", {
        ...repo,
        title: "again",
        head: "kaizen/a",
        base: "main",
      }),
    ).rejects.toMatchObject({ status: 422 });
    const found = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
      ...repo,
      head: "acme:kaizen/a",
      state: "open",
    });
    expect(found.data.map((p) => p.number)).toEqual([created.data.number]);
    const files = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      ...repo,
      pull_number: created.data.number,
    });
    expect(files.data.map((f) => [f.filename, f.status])).toEqual([["prompts/a.md", "modified"]]);
    expect(github.counts.get("POST /repos/{owner}/{repo}/pulls")).toBe(2);
    github.assertClean();
  });

  it("records workflow and repository dispatches, refusing a workflow the repository lacks as GitHub does", async () => {
    const octokit = testOctokit(github);
    const dispatch = (workflow_id: string, ref = "main") =>
      octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
        ...repo,
        workflow_id,
        ref,
        inputs: { task: "a", job_id: "j" },
      });
    await expect(dispatch("kaizen.yml")).rejects.toMatchObject({ status: 404 });
    github.commitFiles(
      "acme/bot",
      "main",
      {
        ".github/workflows/kaizen.yml": "on:\n  workflow_dispatch:\n",
        ".github/workflows/ci.yml": "on: push\n",
      },
      "Add workflows",
    );
    await expect(dispatch("ci.yml")).rejects.toMatchObject({
      status: 422,
      response: { data: { message: "Workflow does not have 'workflow_dispatch' trigger" } },
    });
    await expect(dispatch("kaizen.yml", "no-such-branch")).rejects.toMatchObject({ status: 422 });
    await dispatch("kaizen.yml");
    await octokit.request("POST /repos/{owner}/{repo}/dispatches", {
      ...repo,
      event_type: "kaizen-optimize",
      client_payload: { task: "a" },
    });
    expect(github.repo("acme/bot").workflowDispatches).toEqual([
      { workflow_id: "kaizen.yml", ref: "main", inputs: { task: "a", job_id: "j" } },
    ]);
    expect(github.repo("acme/bot").repositoryDispatches).toEqual([
      { event_type: "kaizen-optimize", client_payload: { task: "a" } },
    ]);
    github.assertClean();
  });
});

describe("the fake GitHub, as strict as GitHub about who may do what", () => {
  const as = (token: string) =>
    createGitHubClient({
      auth: token,
      baseUrl: github.baseUrl,
      retry: false,
      throttle: false,
      log: { warn: () => {} },
    });
  const status = (promise: Promise<unknown>) =>
    promise.then(
      () => 200,
      (error: { status?: number }) => error.status,
    );

  it("scopes an installation token to its installation's repositories (another one's is a 404)", async () => {
    const other = github.createRepo("globex/app");
    const own = github.repo("acme/bot");
    expect(own.installationId).not.toBe(other.installationId);
    const token = `ghs_installation_${own.installationId}`;
    expect(
      await status(
        as(token).request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref: "heads/main" }),
      ),
    ).toBe(200);
    expect(
      await status(
        as(token).request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
          owner: "globex",
          repo: "app",
          ref: "heads/main",
        }),
      ),
    ).toBe(404);
  });

  it("refuses requests past the primary rate limit with GitHub's headers, until the window resets", async () => {
    github.limits.requestsPerHour = 2;
    github.limits.rateWindowMs = 300;
    const octokit = testOctokit(github);
    // Writes: a conditional GET answered 304 costs nothing, on GitHub as here.
    let n = 0;
    const read = () =>
      octokit.request("POST /repos/{owner}/{repo}/git/blobs", { ...repo, content: `blob ${n++}` });
    await read();
    const last = await read();
    expect(last.headers["x-ratelimit-remaining"]).toBe("0");
    const refused = await read().catch(
      (error: { status: number; response: { headers: Record<string, string> } }) => error,
    );
    expect(refused).toMatchObject({ status: 403 });
    const headers = (refused as { response: { headers: Record<string, string> } }).response.headers;
    expect(headers["x-ratelimit-remaining"]).toBe("0");
    expect(Number(headers["x-ratelimit-reset"])).toBeGreaterThan(0);
    expect(github.primaryLimited).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await read()).status).toBe(201);
  });

  it("lets a read-only token read and refuses its writes with 403", async () => {
    github.readOnlyTokens.add("ghs_fork");
    const octokit = as("ghs_fork");
    expect(
      await status(
        octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref: "heads/main" }),
      ),
    ).toBe(200);
    expect(
      await status(octokit.request("POST /repos/{owner}/{repo}/git/blobs", { ...repo, content: "x" })),
    ).toBe(403);
  });

  it("refuses a workflow token's pull request where the repository does not allow Actions to open one", async () => {
    github.actionsTokens.add("ghs_workflow");
    const state = github.repo("acme/bot");
    state.refs.set("refs/heads/edit", state.refs.get("refs/heads/main")!);
    github.commitFiles("acme/bot", "edit", { "prompts/a.md": "Say {{x}} twice\n" }, "edit");
    state.actionsMayCreatePullRequests = false;
    const open = () =>
      as("ghs_workflow").request("POST /repos/{owner}/{repo}/pulls", {
        ...repo,
        title: "t",
        head: "edit",
        base: "main",
      });
    await expect(open()).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("GitHub Actions is not permitted to create or approve pull requests"),
    });
    state.actionsMayCreatePullRequests = true;
    expect((await open()).status).toBe(201);
  });
});
