/**
 * GitBackend over a git repository on disk, through plumbing commands only: the working tree
 * and the checked-out branch are never touched, so Kaizen can write its data branch in a
 * repository somebody is working in. A commit's objects (blobs, trees, the commit) are written
 * in-process as loose objects and fsynced (loose-objects.ts); the ref update is a transaction of
 * one long-lived `git update-ref --stdin`, which git performs under the ref's lock and fsyncs: a
 * compare-and-swap across processes. A commit returns only once all of it is on disk, so an
 * acknowledged write survives a power loss, not just a crash of the process.
 */
import { execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { KaizenError, PathTakenError } from "../core/errors.js";
import { entryInTheWay } from "../core/git-paths.js";
import {
  assertSafeGitDir,
  assertSafeGitPath,
  assertSafeRefName,
  pathPrefixes,
  RefConflictError,
  SymlinkRefusedError,
  type CommitRequest,
  type GitBackend,
} from "./backend.js";
import { GitCatFile } from "./git-cat-file.js";
import { gitObjectSha } from "./git-hash.js";
import { editTree, GITLINK_MODE, parseTree, SYMLINK_MODE, TREE_MODE, type TreeEntry } from "./git-trees.js";
import { RefUpdateFailed, GitUpdateRef } from "./git-update-ref.js";
import { fsyncDirectory, LooseObjectWriter } from "./loose-objects.js";
import { DATA_BRANCH } from "./layout.js";

/** Kaizen commits under its own name, never a person's, and works where git has no user. */
export const KAIZEN_GIT_IDENTITY = { name: "Kaizen", email: "kaizen@users.noreply.github.com" } as const;

/** The environment every git command of Kaizen runs with: Kaizen's identity, no prompts, no pager. */
export function kaizenGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    GIT_AUTHOR_NAME: KAIZEN_GIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: KAIZEN_GIT_IDENTITY.email,
    GIT_COMMITTER_NAME: KAIZEN_GIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: KAIZEN_GIT_IDENTITY.email,
    GIT_PAGER: "cat",
    GIT_TERMINAL_PROMPT: "0",
  };
}

const ZERO_SHA = "0".repeat(40);
const BLOB_CACHE_BYTES = 32 * 1024 * 1024;
/** Root trees kept by commit: the heads of the last few writes and reads. */
const ROOTS_KEPT = 64;

/** A git command failed for a reason other than a lost race. */
export class GitCommandError extends KaizenError {
  override name = "GitCommandError";
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(
      `git ${args
        .filter((arg) => arg !== "--literal-pathspecs")
        .slice(0, 2)
        .join(" ")} failed (exit ${exitCode}): ${stderr.trim() || "no message"}`,
    );
  }
}

interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

export class LocalGitBackend implements GitBackend {
  readonly label: string;
  #dir: string;
  #env: NodeJS.ProcessEnv;
  /** Trees of commits never change: listings are cached by commit and directory. */
  #listings = new Map<string, ReadonlyMap<string, string>>();
  /**
   * Trees never change either: a new commit of the data branch shares all but a few of its
   * parent's, so listing it reads only those.
   */
  #trees = new Map<string, Promise<TreeEntry[]>>();
  /**
   * Commit → its root tree's entries: every transaction lists its head and every commit edits
   * its parent's root, two round trips to git a commit when the head is the commit written last.
   */
  #roots = new Map<string, TreeEntry[]>();
  /** Blobs never change either: recent ones (read or written here) are kept, up to a size. */
  #blobs = new Map<string, string>();
  #blobBytes = 0;
  /** Branch → the commit this instance last wrote there, for `head(..., { maybeStale })`. */
  #lastWritten = new Map<string, string>();
  #gitDir: Promise<string> | null = null;
  /**
   * Every read (heads, trees, blobs) goes through one long-lived `git cat-file --batch`: a
   * process per read cost the server's event loop tens of milliseconds each.
   */
  #reader: GitCatFile;
  /** Every ref update goes through one long-lived `git update-ref --stdin`. */
  #refs: GitUpdateRef;
  #locations: Promise<{ objects: LooseObjectWriter; refs: string }> | null = null;

  constructor(dir: string) {
    this.#dir = dir;
    this.label = dir;
    this.#env = kaizenGitEnv();
    this.#reader = new GitCatFile(dir, this.#env);
    this.#refs = new GitUpdateRef(dir, this.#env);
  }

  /** The id of the reading process while one runs (tests). */
  get readerPid(): number | null {
    return this.#reader.pid;
  }

  /** Ends the reading and ref-updating processes; a later read or write starts another. */
  async close(): Promise<void> {
    await Promise.all([this.#reader.close(), this.#refs.close()]);
  }

  async defaultBranch(): Promise<string> {
    // HEAD read as a file: asked on most requests, and a process each adds up.
    const head = await readFile(path.join(await this.#gitDirectory(), "HEAD"), "utf8").catch(() => "");
    const branch = /^ref: refs\/heads\/(.+)$/.exec(head.trim())?.[1];
    // reftable repositories keep a placeholder there: ask git.
    if (branch && branch !== ".invalid") return branch;
    const result = await this.#git(["symbolic-ref", "--quiet", "--short", "HEAD"]);
    if (result.code === 0) return result.stdout.toString().trim();
    return "main";
  }

  async head(branch: string, options: { maybeStale?: boolean } = {}): Promise<string | null> {
    assertSafeRefName(branch);
    const known = this.#lastWritten.get(branch);
    if (options.maybeStale && known !== undefined) return known;
    // git resolves the ref from disk on every read, so a branch moved by another process is seen.
    return (await this.#reader.read(`refs/heads/${branch}^{commit}`))?.sha ?? null;
  }

  async listFiles(commit: string, dir: string): Promise<ReadonlyMap<string, string>> {
    assertSafeRefName(commit);
    assertSafeGitDir(dir);
    const key = `${commit}:${dir}`;
    const cached = this.#listings.get(key);
    if (cached) return cached;
    // Locally a process costs more than a listing: one `ls-tree` of the whole commit serves
    // every directory a transaction reads.
    if (dir !== "") {
      const prefix = `${dir.replace(/\/$/, "")}/`;
      const files = new Map(
        [...(await this.listFiles(commit, ""))].filter(([file]) => file.startsWith(prefix)),
      );
      if (this.#listings.size > 256) this.#listings.clear();
      this.#listings.set(key, files);
      return files;
    }
    const root = await this.#rootTree(commit);
    if (!root)
      throw new GitCommandError(["ls-tree", "-r", commit], 128, `fatal: not a tree object: ${commit}`);
    // As `ls-tree -r` lists them: depth first, in the tree's order, files only.
    const files = new Map(await this.#filesBelow(root, ""));
    if (this.#listings.size > 256) this.#listings.clear();
    this.#listings.set(key, files);
    return files;
  }

  /** The files below a tree (its content given), as [path, blob sha], subtrees read in parallel. */
  async #filesBelow(tree: TreeEntry[], prefix: string): Promise<[string, string][]> {
    const parts = await Promise.all(
      tree.map(async ({ mode, name, sha }): Promise<[string, string][]> => {
        if (mode === GITLINK_MODE) return [];
        if (mode !== TREE_MODE) return [[`${prefix}${name}`, sha]];
        return this.#filesBelow(await this.#tree(sha), `${prefix}${name}/`);
      }),
    );
    return parts.flat();
  }

  /** The entries of a commit's (or any tree-ish's) root tree; null when git knows no such name. */
  async #rootTree(ref: string): Promise<TreeEntry[] | null> {
    const known = this.#roots.get(ref);
    if (known) return known;
    const root = await this.#reader.read(`${ref}^{tree}`);
    if (!root) return null;
    const entries = parseTree(root.content);
    if (/^[0-9a-f]{40}$/.test(ref)) this.#rememberRoot(ref, entries);
    return entries;
  }

  /** A commit's root tree, kept by the commit's sha (a commit never changes; a branch name does). */
  #rememberRoot(commit: string, entries: TreeEntry[]): void {
    if (this.#roots.size >= ROOTS_KEPT) this.#roots.delete(this.#roots.keys().next().value!);
    this.#roots.set(commit, entries);
  }

  /** A tree's entries by its sha, kept (trees are small and never change). */
  #tree(sha: string): Promise<TreeEntry[]> {
    let entries = this.#trees.get(sha);
    if (!entries) {
      entries = this.#reader.read(sha).then((tree) => {
        if (tree?.type !== "tree")
          throw new GitCommandError(["ls-tree", "-r", sha], 128, `fatal: not a tree object: ${sha}`);
        return parseTree(tree.content);
      });
      // A failed read is not kept: the next one asks git again.
      entries.catch(() => this.#trees.delete(sha));
      if (this.#trees.size > 4096) this.#trees.clear();
      this.#trees.set(sha, entries);
    }
    return entries;
  }

  async readBlob(sha: string): Promise<string> {
    const cached = this.#blobs.get(sha);
    if (cached !== undefined) return cached;
    const object = await this.#reader.read(sha);
    if (object?.type !== "blob")
      throw new GitCommandError(["cat-file", "blob", sha], 128, `fatal: not a blob object: ${sha}`);
    const text = object.content.toString("utf8");
    this.#remember(sha, text);
    return text;
  }

  #remember(sha: string, text: string): void {
    if (this.#blobs.has(sha) || text.length > BLOB_CACHE_BYTES / 8) return;
    this.#blobs.set(sha, text);
    this.#blobBytes += text.length;
    for (const [oldest, oldText] of this.#blobs) {
      if (this.#blobBytes <= BLOB_CACHE_BYTES) break;
      this.#blobs.delete(oldest);
      this.#blobBytes -= oldText.length;
    }
  }

  async readFile(ref: string, filePath: string): Promise<string | null> {
    assertSafeRefName(ref);
    assertSafeGitPath(filePath);
    // Through the tree entry, never `ref:path`: the entry's mode tells a symlink from a file.
    const entries = await this.#treeEntries(ref, pathPrefixes(filePath));
    if (entries === null) return null;
    for (const [entryPath, entry] of entries)
      if (entry.mode === SYMLINK_MODE) throw new SymlinkRefusedError(entryPath);
    const entry = entries.get(filePath);
    if (!entry || entry.type !== "blob") return null;
    return this.readBlob(entry.sha);
  }

  /**
   * The tree entries (mode, type, sha) of exactly `paths` in a commit's tree (a directory's
   * children are left out); null when the ref does not exist. Walks down from the root tree,
   * reading each tree on the way once.
   */
  async #treeEntries(
    ref: string,
    paths: readonly string[],
  ): Promise<Map<string, { mode: string; type: string; sha: string }> | null> {
    const rootEntries = await this.#rootTree(ref);
    if (!rootEntries) return null;
    const entries = new Map<string, { mode: string; type: string; sha: string }>();
    const find = async (filePath: string): Promise<TreeEntry | undefined> => {
      const slash = filePath.lastIndexOf("/");
      const dir = slash === -1 ? "" : filePath.slice(0, slash);
      let listing = rootEntries;
      if (dir !== "") {
        const parent = await find(dir);
        if (parent?.mode !== TREE_MODE) return undefined;
        listing = await this.#tree(parent.sha);
      }
      return listing.find((entry) => entry.name === filePath.slice(slash + 1));
    };
    for (const filePath of paths) {
      const entry = await find(filePath);
      if (entry)
        entries.set(filePath, {
          mode: entry.mode,
          type: entry.mode === TREE_MODE ? "tree" : entry.mode === GITLINK_MODE ? "commit" : "blob",
          sha: entry.sha,
        });
    }
    return entries;
  }

  /**
   * Refuses a change to a path that is, or lies below, a symlink of the parent commit, and
   * with `createOnly` a change to a path that exists there.
   */
  async #checkParentTree(request: CommitRequest): Promise<void> {
    // The data branch holds only Kaizen's own records; checking it would cost a git process
    // on every group commit.
    if (request.parent === null || request.branch === DATA_BRANCH) return;
    const prefixes = [...new Set([...request.changes.keys()].flatMap(pathPrefixes))];
    const entries = await this.#treeEntries(request.parent, prefixes);
    for (const [entryPath, entry] of entries ?? [])
      if (entry.mode === SYMLINK_MODE) throw new SymlinkRefusedError(entryPath);
    if (!request.createOnly) return;
    const typeAt = new Map([...(entries ?? [])].map(([entryPath, entry]) => [entryPath, entry.type]));
    for (const file of request.changes.keys()) {
      const taken = entryInTheWay(file, typeAt);
      if (taken !== null) throw new PathTakenError(taken, file);
    }
  }

  async commit(request: CommitRequest): Promise<string> {
    assertSafeRefName(request.branch);
    if (request.parent !== null) assertSafeRefName(request.parent);
    for (const file of request.changes.keys()) assertSafeGitPath(file);
    await this.#checkParentTree(request);
    const { objects, refs } = await this.#paths();
    const writes = [...request.changes].filter((entry): entry is [string, string] => entry[1] !== null);
    const blobs = writes.map(([, text]) => ({ type: "blob" as const, content: Buffer.from(text, "utf8") }));
    const blobShas = blobs.map(({ type, content }) => gitObjectSha(type, content));
    writes.forEach(([, text], i) => this.#remember(blobShas[i]!, text));
    const changes = new Map<string, string | null>();
    let blob = 0;
    for (const [file, text] of request.changes) changes.set(file, text === null ? null : blobShas[blob++]!);
    const parent = request.parent === null ? null : await this.#commitSha(request.parent);
    const base = parent === null ? [] : ((await this.#rootTree(parent)) ?? []);
    const { root, trees } = await editTree(base, changes, (sha) => this.#tree(sha));
    const commitContent = commitObject(root.sha, parent, request.message, this.#env);
    // Every object on disk (in one round of fsyncs) before the ref that makes them reachable moves.
    const shas = await objects.write([
      ...blobs,
      ...trees.map((tree) => ({ type: "tree" as const, content: tree.content })),
      { type: "commit" as const, content: commitContent },
    ]);
    const commit = shas.at(-1)!;
    // Trees never change: the next commit on this one reads none of them from git.
    for (const tree of trees) this.#trees.set(tree.sha, Promise.resolve(tree.entries));
    this.#rememberRoot(commit, root.entries);
    const expected = (request.expected !== undefined ? request.expected : request.parent) ?? ZERO_SHA;
    await this.#moveRef(
      request.branch,
      commit,
      expected === ZERO_SHA ? ZERO_SHA : await this.#commitSha(expected),
    );
    // The ref's new directory entry, on disk too (git fsyncs the file, not its directory).
    await fsyncDirectory(path.dirname(path.join(refs, "heads", request.branch))).catch(() => {});
    this.#lastWritten.set(request.branch, commit);
    await this.#followCheckedOutBranch(request.branch, request.parent, commit);
    return commit;
  }

  /**
   * Moves the branch through the long-lived `git update-ref --stdin`: a compare-and-swap under
   * git's lock on the ref, fsynced. A refusal is a lost race (re-read and re-apply); when the
   * process died without saying (killed), the ref itself tells whether the update landed.
   */
  async #moveRef(branch: string, commit: string, expected: string): Promise<void> {
    const ref = `refs/heads/${branch}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#refs.update(ref, commit, expected);
        return;
      } catch (error) {
        if (!(error instanceof RefUpdateFailed)) throw error;
        if (error.unknownOutcome && attempt === 1) {
          const now = (await this.#reader.read(`${ref}^{commit}`))?.sha ?? ZERO_SHA;
          if (now === commit) return;
          if (now === expected) continue;
        }
        // git refuses when the ref moved, exists already, or is locked by a concurrent
        // writer: each is a lost race, to be re-read and re-applied.
        if (
          error.unknownOutcome ||
          /cannot lock ref|is at .* but expected|reference already exists|unable to create .*\.lock/i.test(
            error.stderr,
          )
        ) {
          this.#lastWritten.delete(branch);
          throw new RefConflictError(branch, expected === ZERO_SHA ? null : expected);
        }
        throw new GitCommandError(["update-ref", branch], 128, error.stderr);
      }
    }
  }

  /** A commit's sha from any name of it (a branch, a sha). */
  async #commitSha(name: string): Promise<string> {
    if (/^[0-9a-f]{40}$/.test(name)) return name;
    const object = await this.#reader.read(`${name}^{commit}`);
    if (!object) throw new GitCommandError(["rev-parse", name], 128, `fatal: not a commit: ${name}`);
    return object.sha;
  }

  /** Where this repository keeps its objects and refs (asked of git once). */
  #paths(): Promise<{ objects: LooseObjectWriter; refs: string }> {
    this.#locations ??= this.#gitOk(["rev-parse", "--git-path", "objects", "--git-common-dir"]).then(
      (result) => {
        const [objects, common] = result.stdout.toString().trim().split("\n");
        return {
          objects: new LooseObjectWriter(path.resolve(this.#dir, objects!)),
          refs: path.join(path.resolve(this.#dir, common!), "refs"),
        };
      },
    );
    this.#locations.catch(() => (this.#locations = null));
    return this.#locations;
  }

  /**
   * When the branch Kaizen moved is the one checked out (a task created through `kaizen serve`
   * on the default branch), fast-forwards the index and work tree too, so the person's checkout
   * shows the new files instead of their deletion. Local changes to other files are kept.
   */
  async #followCheckedOutBranch(branch: string, from: string | null, to: string): Promise<void> {
    // Read HEAD as a file: this runs after every commit, and a process per commit adds up.
    const head = await readFile(path.join(await this.#gitDirectory(), "HEAD"), "utf8").catch(() => "");
    if (head.trim() !== `ref: refs/heads/${branch}`) return;
    const isBare =
      (await this.#git(["rev-parse", "--is-bare-repository"])).stdout.toString().trim() === "true";
    if (isBare) return;
    await this.#git(from === null ? ["read-tree", "-u", "--reset", to] : ["read-tree", "-m", "-u", from, to]);
  }

  #gitDirectory(): Promise<string> {
    this.#gitDir ??= this.#gitOk(["rev-parse", "--absolute-git-dir"]).then((r) => r.stdout.toString().trim());
    return this.#gitDir;
  }

  async #gitOk(
    args: string[],
    options: { env?: NodeJS.ProcessEnv; input?: string } = {},
  ): Promise<GitResult> {
    const result = await this.#git(args, options);
    if (result.code !== 0) throw new GitCommandError(args, result.code, result.stderr);
    return result;
  }

  #git(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<GitResult> {
    const env = { ...this.#env, ...options.env };
    if (options.input === undefined) {
      return new Promise((resolve, reject) => {
        execFile(
          "git",
          args,
          { cwd: this.#dir, env, encoding: "buffer", maxBuffer: 1 << 30 },
          (error, stdout, stderr) => {
            if (error && typeof (error as NodeJS.ErrnoException).code === "string") {
              reject(new KaizenError(`cannot run git: ${error.message}`));
              return;
            }
            resolve({
              stdout,
              stderr: stderr.toString(),
              code: error ? ((error as { code?: number }).code ?? 1) : 0,
            });
          },
        );
      });
    }
    return new Promise((resolve, reject) => {
      const child = spawn("git", args, { cwd: this.#dir, env, stdio: ["pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", (error) => reject(new KaizenError(`cannot run git: ${error.message}`)));
      child.on("close", (code) =>
        resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), code }),
      );
      child.stdin.end(options.input);
    });
  }
}

/**
 * A commit object as `git commit-tree` writes it: the tree, the parent, Kaizen as author and
 * committer at this second in the local time zone, and the message byte for byte.
 */
function commitObject(tree: string, parent: string | null, message: string, env: NodeJS.ProcessEnv): Buffer {
  const now = new Date();
  const minutes = -now.getTimezoneOffset();
  const zone = `${minutes < 0 ? "-" : "+"}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0")}${String(Math.abs(minutes) % 60).padStart(2, "0")}`;
  const stamp = `${Math.floor(now.getTime() / 1000)} ${zone}`;
  const person = (name: string | undefined, email: string | undefined) =>
    `${name ?? KAIZEN_GIT_IDENTITY.name} <${email ?? KAIZEN_GIT_IDENTITY.email}> ${stamp}`;
  return Buffer.from(
    [
      `tree ${tree}`,
      ...(parent === null ? [] : [`parent ${parent}`]),
      `author ${person(env.GIT_AUTHOR_NAME, env.GIT_AUTHOR_EMAIL)}`,
      `committer ${person(env.GIT_COMMITTER_NAME, env.GIT_COMMITTER_EMAIL)}`,
      "",
      message,
    ].join("\n"),
    "utf8",
  );
}
