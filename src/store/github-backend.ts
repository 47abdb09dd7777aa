/**
 * GitBackend over GitHub's Git Data API. A write is three requests (a tree with the changed
 * files inline on top of the parent's tree, a commit, a ref update) and a writer that appends
 * repeatedly reads nothing in between: it derives the new commit's file list itself (blob shas
 * are computed locally) and keeps what it wrote as blobs, so `github_requests_per_1000_feedback`
 * stays a small constant. Reads go through the ETag cache of the client.
 *
 * A commit's files are listed whole, in one recursive request, the first time any of them is
 * asked for: every later listing, file read and symlink check at that commit is answered from
 * it (a tree by its sha never changes). A repository whose listing GitHub truncates (a
 * monorepo: over 100,000 entries or 7 MB) is from then on read one directory at a time, so no
 * file is silently lost and no later read downloads the cut listing again.
 */
import type { Octokit } from "octokit";
import { KaizenError, PathTakenError } from "../core/errors.js";
import { entryInTheWay } from "../core/git-paths.js";
import {
  assertSafeGitDir,
  assertSafeGitPath,
  assertSafeRefName,
  pathPrefixes,
  ProtectedBranchError,
  RefConflictError,
  SymlinkRefusedError,
  type CommitRequest,
  type GitBackend,
} from "./backend.js";
import { gitBlobSha } from "./git-hash.js";
import { DATA_BRANCH } from "./layout.js";
import { ENTRY_BYTES, ObjectCache } from "./object-cache.js";

export interface GitHubRepoRef {
  owner: string;
  repo: string;
}

export interface GitHubBackendOptions {
  /**
   * Where trees, commits, blobs and listings are kept (they never change): by default the
   * client's own (createGitHubClient's `objects`), so the client and the store share one budget.
   */
  objects?: ObjectCache;
  /**
   * The repository's default branch when the caller already knows it (an Action's event
   * payload carries `repository.default_branch`), saving the request that asks for it.
   */
  defaultBranch?: string;
}

/** GitHub refused a request the store needed, for a reason other than a lost race. */
export class GitHubStoreError extends KaizenError {
  override name = "GitHubStoreError";
  constructor(
    readonly route: string,
    readonly status: number | null,
    detail: string,
    /** Set when GitHub refused for a rate limit: the seconds it says to wait. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`GitHub refused ${route}${status !== null ? ` (HTTP ${status})` : ""}: ${detail}`);
  }
}

/**
 * The wait a rate-limited answer asks for (a secondary limit's `retry-after`, or the primary
 * limit's reset when none remain), or null when the refusal is not a rate limit.
 *
 * @example
 * rateLimitWait(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600" }) // seconds to then
 */
export function rateLimitWait(
  status: number | null,
  headers: Record<string, string | number | undefined> | undefined,
  now: number = Date.now(),
): number | null {
  if ((status !== 403 && status !== 429) || !headers) return null;
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) return Math.max(1, retryAfter);
  if (String(headers["x-ratelimit-remaining"]) !== "0") return null;
  const reset = Number(headers["x-ratelimit-reset"]);
  return Number.isFinite(reset) ? Math.max(1, Math.ceil(reset - now / 1000)) : 60;
}

/** The client; one of createGitHubClient carries its cache of git objects. */
type Request = Pick<Octokit, "request"> & { objects?: ObjectCache };

/** One entry of a tree, as the Git Data API gives it. */
interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

const SYMLINK_MODE = "120000";
const COMMIT_SHA = /^[0-9a-f]{40}$/;

export class GitHubBackend implements GitBackend {
  readonly label: string;
  #octokit: Request;
  #repo: GitHubRepoRef;
  #defaultBranch: string | null = null;
  /** Branch → the commit this instance last saw there (read or written). */
  #lastKnown = new Map<string, string>();
  /**
   * What never changes: commit → its root tree sha, tree sha → its entries (one level), blob
   * sha → its text, and `commit:dir` → every file below dir (path → blob sha), read or derived.
   */
  #objects: ObjectCache;
  /** Set once GitHub truncated a whole listing here: list one directory at a time instead. */
  #perDirectory = false;

  constructor(octokit: Request, repo: GitHubRepoRef, options: GitHubBackendOptions = {}) {
    this.#octokit = octokit;
    this.#repo = repo;
    this.label = `${repo.owner}/${repo.repo}`;
    this.#objects = options.objects ?? octokit.objects ?? new ObjectCache();
    if (options.defaultBranch) {
      assertSafeRefName(options.defaultBranch);
      this.#defaultBranch = options.defaultBranch;
    }
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
    assertSafeRefName(branch);
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
    assertSafeRefName(commit);
    assertSafeGitDir(dir);
    const trimmed = dir.replace(/\/$/, "");
    const key = `${commit}:${trimmed}`;
    const known = () => this.#listing(key) ?? this.#fromAncestorListing(commit, trimmed);
    const cached = known() ?? ((await this.#wholeListing(commit)) ? known() : null);
    if (cached) return cached;
    const root: TreeEntry = { path: "", mode: "040000", type: "tree", sha: await this.#treeOfCommit(commit) };
    const tree = trimmed === "" ? root : await this.#walk(root, trimmed);
    const files =
      tree === null || tree.type !== "tree"
        ? new Map<string, string>()
        : await this.#listTree(tree.sha, trimmed);
    this.#rememberListing(key, files);
    return files;
  }

  async readBlob(sha: string): Promise<string> {
    const cached = this.#objects.get<string>("blob", sha);
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
    assertSafeRefName(ref);
    assertSafeGitPath(path);
    // Through the trees, never the contents API: GitHub's contents API follows a symlink to a
    // file of the repository and answers with the target's text.
    const commit = COMMIT_SHA.test(ref) ? ref : await this.head(ref);
    let root: TreeEntry;
    try {
      if (commit === null) root = await this.#rootOfRef(ref);
      else {
        await this.#wholeListing(commit);
        root = { path: "", mode: "040000", type: "tree", sha: await this.#treeOfCommit(commit) };
      }
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 422) return null;
      throw error;
    }
    const entry = await this.#walk(root, path);
    if (entry === null || entry.type !== "blob") return null;
    return this.readBlob(entry.sha);
  }

  /** The root tree of a ref that is not a branch (a tag), as GitHub resolves it. */
  async #rootOfRef(ref: string): Promise<TreeEntry> {
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(route, () =>
      this.#octokit.request(route, { ...this.#repo, tree_sha: ref }),
    );
    if (!data.truncated) this.#rememberTree(data.sha, data.tree);
    return { path: "", mode: "040000", type: "tree", sha: data.sha };
  }

  async commit(request: CommitRequest): Promise<string> {
    if (request.expected !== undefined && request.expected !== request.parent) {
      throw new KaizenError(
        "GitHubBackend moves a branch only on top of its own head; use the pull-request code for prompt branches",
      );
    }
    assertSafeRefName(request.branch);
    if (request.parent !== null) assertSafeRefName(request.parent);
    for (const path of request.changes.keys()) assertSafeGitPath(path);
    const tree = request.parent === null ? undefined : await this.#treeOfCommit(request.parent);
    // The data branch holds only Kaizen's own records, and walking it would cost reads on
    // every group commit.
    if (tree !== undefined && request.branch !== DATA_BRANCH) {
      await this.#wholeListing(request.parent!);
      const root: TreeEntry = { path: "", mode: "040000", type: "tree", sha: tree };
      const typeAt = new Map<string, string>();
      for (const path of new Set([...request.changes.keys()].flatMap(pathPrefixes))) {
        const entry = await this.#walk(root, path);
        if (entry) typeAt.set(path, entry.type);
      }
      for (const path of request.createOnly ? request.changes.keys() : []) {
        const taken = entryInTheWay(path, typeAt);
        if (taken !== null) throw new PathTakenError(taken, path);
      }
    }
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
    if (!newTree.data.truncated) this.#rememberTree(newTree.data.sha, newTree.data.tree);
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
      // "Reference cannot be updated" comes when another update of the ref is in progress.
      if (
        statusOf(error) === 422 &&
        /not a fast forward|already exists|does not exist|reference cannot be updated/i.test(message)
      ) {
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
    this.#rememberCommit(sha, newTree.data.sha);
    this.#deriveListings(request, sha);
    return sha;
  }

  /**
   * Derives the new commit's listings from the parent's and the change, so that this writer's
   * next transaction starts without a single read.
   */
  #deriveListings(request: CommitRequest, commit: string): void {
    const derived: [string, ReadonlyMap<string, string>][] = [];
    const blobs = new Map<string, string>();
    for (const [path, text] of request.changes) {
      if (text === null) continue;
      const blob = gitBlobSha(text);
      blobs.set(path, blob);
      this.#remember(blob, text);
    }
    const dirs =
      request.parent === null
        ? [""]
        : this.#objects
            .keys("listing")
            .filter((key) => key.startsWith(`${request.parent}:`))
            .map((key) => key.slice(request.parent!.length + 1));
    for (const dir of dirs) {
      const before =
        request.parent === null ? new Map<string, string>() : this.#listing(`${request.parent}:${dir}`);
      if (before === undefined) continue;
      const prefix = dir === "" ? "" : `${dir}/`;
      const files = new Map(before);
      for (const [path, text] of request.changes) {
        if (!path.startsWith(prefix)) continue;
        if (text === null) files.delete(path);
        else files.set(path, blobs.get(path)!);
      }
      derived.push([`${commit}:${dir}`, files]);
    }
    for (const [key, files] of derived) this.#rememberListing(key, files);
  }

  /** A listing of `dir` cut from a known listing of one of its parent directories, or null. */
  #fromAncestorListing(commit: string, dir: string): ReadonlyMap<string, string> | null {
    const segments = dir === "" ? [] : dir.split("/");
    for (let length = segments.length - 1; length >= 0; length--) {
      const ancestor = this.#listing(`${commit}:${segments.slice(0, length).join("/")}`);
      if (!ancestor) continue;
      const prefix = `${dir}/`;
      const files = new Map([...ancestor].filter(([path]) => path.startsWith(prefix)));
      this.#rememberListing(`${commit}:${dir}`, files);
      return files;
    }
    return null;
  }

  /** Every file below a tree, recursively (path → blob sha), with `prefix/` before each path. */
  async #listTree(treeSha: string, prefix: string): Promise<Map<string, string>> {
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(route, () =>
      this.#octokit.request(route, { ...this.#repo, tree_sha: treeSha, recursive: "1" }),
    );
    const files = new Map<string, string>();
    const base = prefix === "" ? "" : `${prefix}/`;
    if (!data.truncated) {
      for (const entry of data.tree)
        if (entry.type === "blob" && entry.path && entry.sha) files.set(base + entry.path, entry.sha);
      return files;
    }
    // Over GitHub's limits for one recursive listing: complete it one directory at a time.
    for (const entry of await this.#entries(treeSha)) {
      if (entry.type === "blob") files.set(base + entry.path, entry.sha);
      else if (entry.type === "tree")
        for (const [path, sha] of await this.#listTree(entry.sha, base + entry.path)) files.set(path, sha);
    }
    return files;
  }

  /** The entry at `path` below a tree, or null; refuses to pass through or end at a symlink. */
  async #walk(root: TreeEntry, path: string): Promise<TreeEntry | null> {
    let current = root;
    const segments = path.split("/");
    for (const [i, segment] of segments.entries()) {
      if (current.type !== "tree") return null;
      const next = (await this.#entries(current.sha)).find((entry) => entry.path === segment);
      if (!next) return null;
      if (next.mode === SYMLINK_MODE) throw new SymlinkRefusedError(segments.slice(0, i + 1).join("/"));
      current = next;
    }
    return current;
  }

  /** One level of a tree. */
  async #entries(treeSha: string): Promise<readonly TreeEntry[]> {
    const known = this.#objects.get<readonly TreeEntry[]>("tree", treeSha);
    if (known) return known;
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(route, () =>
      this.#octokit.request(route, { ...this.#repo, tree_sha: treeSha }),
    );
    if (data.truncated)
      throw new GitHubStoreError(
        route,
        null,
        `the directory tree ${treeSha} has more entries than GitHub lists`,
      );
    const entries = data.tree as TreeEntry[];
    this.#rememberTree(treeSha, entries);
    return entries;
  }

  #rememberTree(sha: string, entries: readonly TreeEntry[]): void {
    this.#objects.set("tree", sha, entries, ENTRY_BYTES * (1 + entries.length));
  }

  #listing(key: string): ReadonlyMap<string, string> | undefined {
    return this.#objects.get<ReadonlyMap<string, string>>("listing", key);
  }

  #rememberListing(key: string, files: ReadonlyMap<string, string>): void {
    this.#objects.set("listing", key, files, ENTRY_BYTES * (1 + files.size));
  }

  /**
   * Every file of a commit (path → blob sha) from one recursive listing, also filling the
   * tree cache for every directory in it; null once GitHub truncates a listing here.
   */
  async #wholeListing(commit: string): Promise<ReadonlyMap<string, string> | null> {
    const known = this.#listing(`${commit}:`);
    if (known) return known;
    if (this.#perDirectory) return null;
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(route, () =>
      this.#octokit.request(route, { ...this.#repo, tree_sha: commit, recursive: "1" }),
    );
    this.#rememberCommit(commit, data.sha);
    if (data.truncated) {
      this.#perDirectory = true;
      return null;
    }
    const files = new Map<string, string>();
    const levels = new Map<string, TreeEntry[]>([["", []]]);
    for (const entry of data.tree as TreeEntry[]) {
      const slash = entry.path.lastIndexOf("/");
      const parent = slash < 0 ? "" : entry.path.slice(0, slash);
      const level = levels.get(parent) ?? [];
      levels.set(parent, level);
      level.push({ ...entry, path: entry.path.slice(slash + 1) });
      if (entry.type === "blob") files.set(entry.path, entry.sha);
    }
    const treeShas = new Map([
      ["", data.sha],
      ...(data.tree as TreeEntry[]).filter((e) => e.type === "tree").map((e) => [e.path, e.sha] as const),
    ]);
    for (const [dir, entries] of levels) {
      const sha = treeShas.get(dir);
      if (sha !== undefined) this.#rememberTree(sha, entries);
    }
    this.#rememberListing(`${commit}:`, files);
    return files;
  }

  /** The root tree of a commit; asking for the commit's tree by the commit's sha also lists the root. */
  async #treeOfCommit(commit: string): Promise<string> {
    const known = this.#objects.get<string>("commit", commit);
    if (known) return known;
    const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
    const { data } = await this.#call(route, () =>
      this.#octokit.request(route, { ...this.#repo, tree_sha: commit }),
    );
    if (!data.truncated) this.#rememberTree(data.sha, data.tree);
    this.#rememberCommit(commit, data.sha);
    return data.sha;
  }

  #rememberCommit(commit: string, tree: string): void {
    this.#objects.set("commit", commit, tree, ENTRY_BYTES);
  }

  #remember(sha: string, text: string): void {
    // A string takes about two bytes a character.
    this.#objects.set("blob", sha, text, 2 * text.length);
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
  const status = statusOf(error);
  const headers = (error as { response?: { headers?: Record<string, string | number | undefined> } }).response
    ?.headers;
  return new GitHubStoreError(route, status, (error as Error).message, rateLimitWait(status, headers));
}
