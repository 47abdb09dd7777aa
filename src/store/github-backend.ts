/**
 * GitBackend over GitHub's Git Data API. A write is three requests (a tree with the changed
 * files inline on top of the parent's tree, a commit, a ref update) and a writer that appends
 * repeatedly reads nothing in between: it derives the new commit's file list itself (blob shas
 * are computed locally) and keeps what it wrote as blobs, so `github_requests_per_1000_feedback`
 * stays a small constant. Reads go through the ETag cache of the client.
 */
import type { Octokit } from "octokit";
import { KaizenError } from "../core/errors.js";
import { ProtectedBranchError, RefConflictError, type CommitRequest, type GitBackend } from "./backend.js";
import { gitBlobSha } from "./git-hash.js";

export interface GitHubRepoRef {
  owner: string;
  repo: string;
}

export interface GitHubBackendOptions {
  /** Bytes of blob text kept in memory (blobs never change). */
  blobCacheBytes?: number;
}

/** GitHub refused a request the store needed, for a reason other than a lost race. */
export class GitHubStoreError extends KaizenError {
  override name = "GitHubStoreError";
  constructor(
    readonly route: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`GitHub refused ${route}${status !== null ? ` (HTTP ${status})` : ""}: ${detail}`);
  }
}

type Request = Pick<Octokit, "request">;

export class GitHubBackend implements GitBackend {
  readonly label: string;
  #octokit: Request;
  #repo: GitHubRepoRef;
  #defaultBranch: string | null = null;
  /** Branch → the commit this instance last saw there (read or written). */
  #lastKnown = new Map<string, string>();
  /** Commit → its tree sha and every file (path → blob sha); commits are immutable. */
  #commits = new Map<string, { tree: string; files: ReadonlyMap<string, string> | null }>();
  #blobs = new Map<string, string>();
  #blobBytes = 0;
  #blobCacheBytes: number;

  constructor(octokit: Request, repo: GitHubRepoRef, options: GitHubBackendOptions = {}) {
    this.#octokit = octokit;
    this.#repo = repo;
    this.label = `${repo.owner}/${repo.repo}`;
    this.#blobCacheBytes = options.blobCacheBytes ?? 64 * 1024 * 1024;
  }

  async defaultBranch(): Promise<string> {
    if (this.#defaultBranch === null) {
      const { data } = await this.#call("GET /repos/{owner}/{repo}", () =>
        this.#octokit.request("GET /repos/{owner}/{repo}", { ...this.#repo }),
      );
      this.#defaultBranch = data.default_branch;
    }
    return this.#defaultBranch;
  }

  async head(branch: string, options: { maybeStale?: boolean } = {}): Promise<string | null> {
    const known = this.#lastKnown.get(branch);
    if (options.maybeStale && known !== undefined) return known;
    const route = "GET /repos/{owner}/{repo}/git/ref/{ref}";
    try {
      const { data } = await this.#octokit.request(route, { ...this.#repo, ref: `heads/${branch}` });
      this.#lastKnown.set(branch, data.object.sha);
      return data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) {
        this.#lastKnown.delete(branch);
        return null;
      }
      throw wrap(route, error);
    }
  }

  async listFiles(commit: string, dir: string): Promise<ReadonlyMap<string, string>> {
    const files = await this.#filesOf(commit);
    if (dir === "") return files;
    const prefix = `${dir.replace(/\/$/, "")}/`;
    return new Map([...files].filter(([path]) => path.startsWith(prefix)));
  }

  async readBlob(sha: string): Promise<string> {
    const cached = this.#blobs.get(sha);
    if (cached !== undefined) return cached;
    const { data } = await this.#call("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", () =>
      this.#octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        ...this.#repo,
        file_sha: sha,
      }),
    );
    const text = Buffer.from(data.content, "base64").toString("utf8");
    this.#remember(sha, text);
    return text;
  }

  async readFile(ref: string, path: string): Promise<string | null> {
    const route = "GET /repos/{owner}/{repo}/contents/{path}";
    try {
      const { data } = await this.#octokit.request(route, { ...this.#repo, path, ref });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
      return Buffer.from(data.content, "base64").toString("utf8");
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw wrap(route, error);
    }
  }

  async commit(request: CommitRequest): Promise<string> {
    if (request.expected !== undefined && request.expected !== request.parent) {
      throw new KaizenError(
        "GitHubBackend moves a branch only on top of its own head; use the pull-request code for prompt branches",
      );
    }
    const tree = request.parent === null ? undefined : (await this.#commitInfo(request.parent)).tree;
    const entries = [...request.changes].map(([path, text]) =>
      text === null
        ? { path, mode: "100644" as const, type: "blob" as const, sha: null }
        : { path, mode: "100644" as const, type: "blob" as const, content: text },
    );
    const newTree = await this.#call("POST /repos/{owner}/{repo}/git/trees", () =>
      this.#octokit.request("POST /repos/{owner}/{repo}/git/trees", {
        ...this.#repo,
        ...(tree ? { base_tree: tree } : {}),
        tree: entries,
      }),
    );
    const commit = await this.#call("POST /repos/{owner}/{repo}/git/commits", () =>
      this.#octokit.request("POST /repos/{owner}/{repo}/git/commits", {
        ...this.#repo,
        message: request.message,
        tree: newTree.data.sha,
        parents: request.parent === null ? [] : [request.parent],
      }),
    );
    const sha = commit.data.sha;
    try {
      if (request.parent === null) {
        await this.#octokit.request("POST /repos/{owner}/{repo}/git/refs", {
          ...this.#repo,
          ref: `refs/heads/${request.branch}`,
          sha,
        });
      } else {
        // Kaizen's writers only ever add commits on top of the data branch, so GitHub's
        // fast-forward rule is the compare-and-swap: a branch that moved since `parent` does
        // not descend into our commit, and the update is refused.
        await this.#octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
          ...this.#repo,
          ref: `heads/${request.branch}`,
          sha,
          force: false,
        });
      }
    } catch (error) {
      const message = String(
        (error as { response?: { data?: { message?: string } } }).response?.data?.message ??
          (error as Error).message,
      );
      if (statusOf(error) === 422 && /not a fast forward|already exists|does not exist/i.test(message)) {
        this.#lastKnown.delete(request.branch);
        throw new RefConflictError(request.branch, request.parent);
      }
      if (
        (statusOf(error) === 422 || statusOf(error) === 409) &&
        /protected branch|rule violation/i.test(message)
      )
        throw new ProtectedBranchError(request.branch, message);
      throw wrap(
        request.parent === null
          ? "POST /repos/{owner}/{repo}/git/refs"
          : "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
        error,
      );
    }
    this.#lastKnown.set(request.branch, sha);
    // Derive the new commit's files from the parent's and the change, so that this writer's
    // next transaction starts without a single read.
    const parentFiles =
      request.parent === null ? new Map<string, string>() : this.#commits.get(request.parent)?.files;
    let files: Map<string, string> | null = null;
    if (parentFiles) {
      files = new Map(parentFiles);
      for (const [path, text] of request.changes) {
        if (text === null) files.delete(path);
        else {
          const blob = gitBlobSha(text);
          files.set(path, blob);
          this.#remember(blob, text);
        }
      }
    }
    this.#rememberCommit(sha, newTree.data.sha, files);
    return sha;
  }

  async #filesOf(commit: string): Promise<ReadonlyMap<string, string>> {
    const info = await this.#commitInfo(commit);
    if (info.files) return info.files;
    const { data } = await this.#call("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", () =>
      this.#octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        ...this.#repo,
        tree_sha: info.tree,
        recursive: "1",
      }),
    );
    if (data.truncated) {
      throw new GitHubStoreError(
        "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
        null,
        `the tree of ${commit} is too large to list in one request (truncated); lower feedback_retention_limit or the number of tasks`,
      );
    }
    const files = new Map<string, string>();
    for (const entry of data.tree)
      if (entry.type === "blob" && entry.path && entry.sha) files.set(entry.path, entry.sha);
    this.#rememberCommit(commit, info.tree, files);
    return files;
  }

  async #commitInfo(commit: string): Promise<{ tree: string; files: ReadonlyMap<string, string> | null }> {
    const known = this.#commits.get(commit);
    if (known) return known;
    const { data } = await this.#call("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", () =>
      this.#octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
        ...this.#repo,
        commit_sha: commit,
      }),
    );
    this.#rememberCommit(commit, data.tree.sha, null);
    return this.#commits.get(commit)!;
  }

  #rememberCommit(commit: string, tree: string, files: ReadonlyMap<string, string> | null): void {
    this.#commits.set(commit, { tree, files });
    // Only recent commits are ever asked for again: keep a handful.
    if (this.#commits.size > 32) this.#commits.delete(this.#commits.keys().next().value as string);
  }

  #remember(sha: string, text: string): void {
    if (this.#blobs.has(sha) || text.length > this.#blobCacheBytes / 4) return;
    this.#blobs.set(sha, text);
    this.#blobBytes += text.length;
    for (const [oldest, oldText] of this.#blobs) {
      if (this.#blobBytes <= this.#blobCacheBytes) break;
      this.#blobs.delete(oldest);
      this.#blobBytes -= oldText.length;
    }
  }

  async #call<T>(route: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw wrap(route, error);
    }
  }
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : null;
}

function wrap(route: string, error: unknown): Error {
  if (error instanceof KaizenError) return error;
  return new GitHubStoreError(route, statusOf(error), (error as Error).message);
}
