import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  RefConflictError,
  RepoStore,
  SymlinkRefusedError,
  assertSafeGitDir,
  assertSafeGitPath,
  assertSafeRefName,
  pathPrefixes
} from "./chunk-U323PJSG.js";
import {
  DATA_BRANCH
} from "./chunk-IM6PW7XL.js";
import {
  KaizenError
} from "./chunk-4CXYVOQZ.js";

// src/store/local-git-store.ts
import { execFile as execFile2 } from "node:child_process";
import { mkdir, writeFile as writeFile2 } from "node:fs/promises";
import path2 from "node:path";
import { promisify } from "node:util";

// src/store/local-git-backend.ts
import { execFile, spawn as spawn2 } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// src/store/git-cat-file.ts
import { spawn } from "node:child_process";
var IDLE_MS = 5e3;
var GitCatFile = class {
  #dir;
  #env;
  #current = null;
  #idle = null;
  constructor(dir, env) {
    this.#dir = dir;
    this.#env = env;
  }
  /** The process's id while one runs (diagnostics and tests). */
  get pid() {
    return this.#current?.pid ?? null;
  }
  /**
   * An object by any name git resolves (`<sha>`, `<commit>^{tree}`, `refs/heads/x^{commit}`), or
   * null when there is none.
   */
  read(name) {
    if (/[\n\r\0]/.test(name))
      return Promise.reject(new KaizenError(`invalid git object name ${JSON.stringify(name)}`));
    return new Promise((resolve, reject) => this.#send({ name, resolve, reject, resent: false }));
  }
  /**
   * Ends the process (after it answered what it owes); a later read starts another. Resolves
   * once it has exited, so none is left behind.
   */
  async close() {
    this.#stopIdleTimer();
    const batch = this.#current;
    this.#current = null;
    await batch?.end();
  }
  #send(read) {
    this.#stopIdleTimer();
    this.#current ??= new BatchProcess(this.#dir, this.#env, {
      idle: (batch) => {
        if (batch !== this.#current) return;
        this.#idle = setTimeout(() => void this.close(), IDLE_MS);
        this.#idle.unref();
      },
      died: (batch, owed, error) => {
        if (batch === this.#current) this.#current = null;
        for (const read2 of owed) {
          if (read2.resent) read2.reject(error);
          else this.#send({ ...read2, resent: true });
        }
      }
    });
    this.#current.send(read);
  }
  #stopIdleTimer() {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
  }
};
var BatchProcess = class {
  #child;
  #owed = [];
  #buffered = [];
  #bufferedBytes = 0;
  /** The header of the answer being read, once it has arrived whole. */
  #header = null;
  #exited;
  constructor(dir, env, events) {
    this.#child = spawn("git", ["cat-file", "--batch"], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let dead = false;
    const die = (error) => {
      if (dead) return;
      dead = true;
      const owed = this.#owed;
      this.#owed = [];
      events.died(this, owed, error);
    };
    this.#exited = new Promise((resolve) => this.#child.once("close", () => resolve()));
    this.#child.stdout.on("data", (chunk) => {
      this.#buffered.push(chunk);
      this.#bufferedBytes += chunk.length;
      if (this.#answer()) events.idle(this);
    });
    this.#child.stderr.on("data", (chunk) => stderr = (stderr + chunk.toString()).slice(-2e3));
    this.#child.stdin.on("error", () => {
    });
    this.#child.on("error", (error) => die(new KaizenError(`cannot run git: ${error.message}`)));
    this.#child.on(
      "close",
      (code, signal) => die(
        new KaizenError(
          `git cat-file --batch ended (${signal ?? `exit ${code}`}) before answering: ${stderr.trim() || "no message"}`
        )
      )
    );
  }
  get pid() {
    return this.#child.pid ?? null;
  }
  send(read) {
    this.#owed.push(read);
    this.#hold(true);
    this.#child.stdin.write(`${read.name}
`);
  }
  /** Closes its input: git answers what it was asked, then exits. */
  end() {
    this.#hold(true);
    this.#child.stdin.end();
    return this.#exited;
  }
  /** Answers the owed reads whose whole answer has arrived; true when none is owed any more. */
  #answer() {
    for (; ; ) {
      if (!this.#header) {
        const data2 = this.#joined();
        const end = data2.indexOf(10);
        if (end === -1) {
          this.#keep(data2);
          break;
        }
        const line = data2.subarray(0, end).toString("utf8");
        this.#keep(data2.subarray(end + 1));
        if (/ (missing|ambiguous)$/.test(line)) {
          this.#owed.shift()?.resolve(null);
          continue;
        }
        const [sha, type, size2] = line.split(" ");
        this.#header = { sha, type, size: Number(size2) };
      }
      const size = this.#header.size;
      if (this.#bufferedBytes < size + 1) break;
      const data = this.#joined();
      this.#keep(data.subarray(size + 1));
      const object = { sha: this.#header.sha, type: this.#header.type, content: data.subarray(0, size) };
      this.#header = null;
      this.#owed.shift()?.resolve(object);
    }
    if (this.#owed.length > 0) return false;
    this.#hold(false);
    return true;
  }
  #joined() {
    const data = this.#buffered.length === 1 ? this.#buffered[0] : Buffer.concat(this.#buffered);
    this.#buffered = [];
    this.#bufferedBytes = 0;
    return data;
  }
  #keep(rest) {
    if (rest.length === 0) return;
    this.#buffered = [rest];
    this.#bufferedBytes = rest.length;
  }
  /** Whether the process and its pipes keep Node's event loop alive: only while reads are owed. */
  #hold(busy) {
    const child = this.#child;
    for (const handle of [child, child.stdin, child.stdout, child.stderr])
      if (busy) handle.ref();
      else handle.unref();
  }
};

// src/store/local-git-backend.ts
var KAIZEN_GIT_IDENTITY = { name: "Kaizen", email: "kaizen@users.noreply.github.com" };
function kaizenGitEnv(base = process.env) {
  return {
    ...base,
    GIT_AUTHOR_NAME: KAIZEN_GIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: KAIZEN_GIT_IDENTITY.email,
    GIT_COMMITTER_NAME: KAIZEN_GIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: KAIZEN_GIT_IDENTITY.email,
    GIT_PAGER: "cat",
    GIT_TERMINAL_PROMPT: "0"
  };
}
var ZERO_SHA = "0".repeat(40);
var SYMLINK_MODE = "120000";
var TREE_MODE = "40000";
var GITLINK_MODE = "160000";
var BLOB_CACHE_BYTES = 32 * 1024 * 1024;
var GitCommandError = class extends KaizenError {
  constructor(args, exitCode, stderr) {
    super(
      `git ${args.filter((arg) => arg !== "--literal-pathspecs").slice(0, 2).join(" ")} failed (exit ${exitCode}): ${stderr.trim() || "no message"}`
    );
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
  args;
  exitCode;
  stderr;
  name = "GitCommandError";
};
var LocalGitBackend = class {
  label;
  #dir;
  #env;
  /** Trees of commits never change: listings are cached by commit and directory. */
  #listings = /* @__PURE__ */ new Map();
  /**
   * Trees never change either: a new commit of the data branch shares all but a few of its
   * parent's, so listing it reads only those.
   */
  #trees = /* @__PURE__ */ new Map();
  /** Blobs never change either: recent ones (read or written here) are kept, up to a size. */
  #blobs = /* @__PURE__ */ new Map();
  #blobBytes = 0;
  /** Branch → the commit this instance last wrote there, for `head(..., { maybeStale })`. */
  #lastWritten = /* @__PURE__ */ new Map();
  #gitDir = null;
  /**
   * Every read (heads, trees, blobs) goes through one long-lived `git cat-file --batch`: a
   * process per read cost the server's event loop tens of milliseconds each. Writes still run
   * git's plumbing commands, a handful per commit.
   */
  #reader;
  constructor(dir) {
    this.#dir = dir;
    this.label = dir;
    this.#env = kaizenGitEnv();
    this.#reader = new GitCatFile(dir, this.#env);
  }
  /** The id of the reading process while one runs (tests). */
  get readerPid() {
    return this.#reader.pid;
  }
  /** Ends the reading process; a later read starts another. */
  async close() {
    await this.#reader.close();
  }
  async defaultBranch() {
    const head = await readFile(path.join(await this.#gitDirectory(), "HEAD"), "utf8").catch(() => "");
    const branch = /^ref: refs\/heads\/(.+)$/.exec(head.trim())?.[1];
    if (branch && branch !== ".invalid") return branch;
    const result = await this.#git(["symbolic-ref", "--quiet", "--short", "HEAD"]);
    if (result.code === 0) return result.stdout.toString().trim();
    return "main";
  }
  async head(branch, options = {}) {
    assertSafeRefName(branch);
    const known = this.#lastWritten.get(branch);
    if (options.maybeStale && known !== void 0) return known;
    return (await this.#reader.read(`refs/heads/${branch}^{commit}`))?.sha ?? null;
  }
  async listFiles(commit, dir) {
    assertSafeRefName(commit);
    assertSafeGitDir(dir);
    const key = `${commit}:${dir}`;
    const cached = this.#listings.get(key);
    if (cached) return cached;
    if (dir !== "") {
      const prefix = `${dir.replace(/\/$/, "")}/`;
      const files2 = new Map(
        [...await this.listFiles(commit, "")].filter(([file]) => file.startsWith(prefix))
      );
      if (this.#listings.size > 256) this.#listings.clear();
      this.#listings.set(key, files2);
      return files2;
    }
    const root = await this.#rootTree(commit);
    if (!root)
      throw new GitCommandError(["ls-tree", "-r", commit], 128, `fatal: not a tree object: ${commit}`);
    const files = new Map(await this.#filesBelow(root, ""));
    if (this.#listings.size > 256) this.#listings.clear();
    this.#listings.set(key, files);
    return files;
  }
  /** The files below a tree (its content given), as [path, blob sha], subtrees read in parallel. */
  async #filesBelow(tree, prefix) {
    const parts = await Promise.all(
      tree.map(async ({ mode, name, sha }) => {
        if (mode === GITLINK_MODE) return [];
        if (mode !== TREE_MODE) return [[`${prefix}${name}`, sha]];
        return this.#filesBelow(await this.#tree(sha), `${prefix}${name}/`);
      })
    );
    return parts.flat();
  }
  /** The entries of a commit's (or any tree-ish's) root tree; null when git knows no such name. */
  async #rootTree(ref) {
    const root = await this.#reader.read(`${ref}^{tree}`);
    return root ? parseTree(root.content) : null;
  }
  /** A tree's entries by its sha, kept (trees are small and never change). */
  #tree(sha) {
    let entries = this.#trees.get(sha);
    if (!entries) {
      entries = this.#reader.read(sha).then((tree) => {
        if (tree?.type !== "tree")
          throw new GitCommandError(["ls-tree", "-r", sha], 128, `fatal: not a tree object: ${sha}`);
        return parseTree(tree.content);
      });
      entries.catch(() => this.#trees.delete(sha));
      if (this.#trees.size > 4096) this.#trees.clear();
      this.#trees.set(sha, entries);
    }
    return entries;
  }
  async readBlob(sha) {
    const cached = this.#blobs.get(sha);
    if (cached !== void 0) return cached;
    const object = await this.#reader.read(sha);
    if (object?.type !== "blob")
      throw new GitCommandError(["cat-file", "blob", sha], 128, `fatal: not a blob object: ${sha}`);
    const text = object.content.toString("utf8");
    this.#remember(sha, text);
    return text;
  }
  #remember(sha, text) {
    if (this.#blobs.has(sha) || text.length > BLOB_CACHE_BYTES / 8) return;
    this.#blobs.set(sha, text);
    this.#blobBytes += text.length;
    for (const [oldest, oldText] of this.#blobs) {
      if (this.#blobBytes <= BLOB_CACHE_BYTES) break;
      this.#blobs.delete(oldest);
      this.#blobBytes -= oldText.length;
    }
  }
  async readFile(ref, filePath) {
    assertSafeRefName(ref);
    assertSafeGitPath(filePath);
    const entries = await this.#treeEntries(ref, pathPrefixes(filePath));
    if (entries === null) return null;
    for (const [entryPath, entry2] of entries)
      if (entry2.mode === SYMLINK_MODE) throw new SymlinkRefusedError(entryPath);
    const entry = entries.get(filePath);
    if (!entry || entry.type !== "blob") return null;
    return this.readBlob(entry.sha);
  }
  /**
   * The tree entries (mode, type, sha) of exactly `paths` in a commit's tree (a directory's
   * children are left out); null when the ref does not exist. Walks down from the root tree,
   * reading each tree on the way once.
   */
  async #treeEntries(ref, paths) {
    const rootEntries = await this.#rootTree(ref);
    if (!rootEntries) return null;
    const entries = /* @__PURE__ */ new Map();
    const find = async (filePath) => {
      const slash = filePath.lastIndexOf("/");
      const dir = slash === -1 ? "" : filePath.slice(0, slash);
      let listing = rootEntries;
      if (dir !== "") {
        const parent = await find(dir);
        if (parent?.mode !== TREE_MODE) return void 0;
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
          sha: entry.sha
        });
    }
    return entries;
  }
  /** Refuses a change to a path that is, or lies below, a symlink of the parent commit. */
  async #refuseSymlinks(request) {
    if (request.parent === null || request.branch === DATA_BRANCH) return;
    const prefixes = [...new Set([...request.changes.keys()].flatMap(pathPrefixes))];
    const entries = await this.#treeEntries(request.parent, prefixes);
    for (const [entryPath, entry] of entries ?? [])
      if (entry.mode === SYMLINK_MODE) throw new SymlinkRefusedError(entryPath);
  }
  async commit(request) {
    assertSafeRefName(request.branch);
    if (request.parent !== null) assertSafeRefName(request.parent);
    for (const file of request.changes.keys()) assertSafeGitPath(file);
    await this.#refuseSymlinks(request);
    const scratch = await mkdtemp(path.join(tmpdir(), "kaizen-index-"));
    const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
    try {
      if (request.parent !== null) await this.#gitOk(["read-tree", request.parent], { env });
      const writes = [...request.changes].filter((entry) => entry[1] !== null);
      const shas = await this.#hashObjects(writes.map(([, text]) => text));
      writes.forEach(([, text], i) => this.#remember(shas[i], text));
      const indexInfo = [
        ...writes.map(([file], i) => `100644 ${shas[i]}	${file}`),
        ...[...request.changes].filter(([, text]) => text === null).map(([file]) => `0 ${ZERO_SHA}	${file}`)
      ];
      if (indexInfo.length > 0)
        await this.#gitOk(["update-index", "-z", "--index-info"], {
          env,
          input: indexInfo.join("\0") + "\0"
        });
      const tree = (await this.#gitOk(["write-tree"], { env })).stdout.toString().trim();
      const parents = request.parent === null ? [] : ["-p", request.parent];
      const commit = (await this.#gitOk(["commit-tree", tree, ...parents, "-F", "-"], { input: request.message })).stdout.toString().trim();
      const update = await this.#git([
        "update-ref",
        "-m",
        request.message.split("\n")[0] ?? "kaizen",
        `refs/heads/${request.branch}`,
        commit,
        (request.expected !== void 0 ? request.expected : request.parent) ?? ZERO_SHA
      ]);
      if (update.code !== 0) {
        if (/cannot lock ref|is at .* but expected|reference already exists|unable to create .*\.lock/i.test(
          update.stderr
        )) {
          this.#lastWritten.delete(request.branch);
          throw new RefConflictError(request.branch, request.parent);
        }
        throw new GitCommandError(["update-ref", request.branch], update.code, update.stderr);
      }
      this.#lastWritten.set(request.branch, commit);
      await this.#followCheckedOutBranch(request.branch, request.parent, commit);
      return commit;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  /**
   * When the branch Kaizen moved is the one checked out (a task created through `kaizen serve`
   * on the default branch), fast-forwards the index and work tree too, so the person's checkout
   * shows the new files instead of their deletion. Local changes to other files are kept.
   */
  async #followCheckedOutBranch(branch, from, to) {
    const head = await readFile(path.join(await this.#gitDirectory(), "HEAD"), "utf8").catch(() => "");
    if (head.trim() !== `ref: refs/heads/${branch}`) return;
    const isBare = (await this.#git(["rev-parse", "--is-bare-repository"])).stdout.toString().trim() === "true";
    if (isBare) return;
    await this.#git(from === null ? ["read-tree", "-u", "--reset", to] : ["read-tree", "-m", "-u", from, to]);
  }
  #gitDirectory() {
    this.#gitDir ??= this.#gitOk(["rev-parse", "--absolute-git-dir"]).then((r) => r.stdout.toString().trim());
    return this.#gitDir;
  }
  /** Writes blobs for many texts with one `git hash-object` call; returns their shas in order. */
  async #hashObjects(texts) {
    if (texts.length === 0) return [];
    if (texts.length === 1)
      return [
        (await this.#gitOk(["hash-object", "-w", "--stdin"], { input: texts[0] })).stdout.toString().trim()
      ];
    const scratch = await mkdtemp(path.join(tmpdir(), "kaizen-blobs-"));
    try {
      const files = await Promise.all(
        texts.map(async (text, i) => {
          const file = path.join(scratch, `${i}-${randomBytes(4).toString("hex")}`);
          await writeFile(file, text);
          return file;
        })
      );
      const out = (await this.#gitOk(["hash-object", "-w", "--no-filters", "--stdin-paths"], {
        input: files.join("\n") + "\n"
      })).stdout.toString();
      return out.trim().split("\n");
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  async #gitOk(args, options = {}) {
    const result = await this.#git(args, options);
    if (result.code !== 0) throw new GitCommandError(args, result.code, result.stderr);
    return result;
  }
  #git(args, options = {}) {
    const env = { ...this.#env, ...options.env };
    if (options.input === void 0) {
      return new Promise((resolve, reject) => {
        execFile(
          "git",
          args,
          { cwd: this.#dir, env, encoding: "buffer", maxBuffer: 1 << 30 },
          (error, stdout, stderr) => {
            if (error && typeof error.code === "string") {
              reject(new KaizenError(`cannot run git: ${error.message}`));
              return;
            }
            resolve({
              stdout,
              stderr: stderr.toString(),
              code: error ? error.code ?? 1 : 0
            });
          }
        );
      });
    }
    return new Promise((resolve, reject) => {
      const child = spawn2("git", args, { cwd: this.#dir, env, stdio: ["pipe", "pipe", "pipe"] });
      const out = [];
      const err = [];
      child.stdout.on("data", (chunk) => out.push(chunk));
      child.stderr.on("data", (chunk) => err.push(chunk));
      child.on("error", (error) => reject(new KaizenError(`cannot run git: ${error.message}`)));
      child.on(
        "close",
        (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), code })
      );
      child.stdin.end(options.input);
    });
  }
};
function parseTree(content) {
  const entries = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space);
    entries.push({
      mode: content.toString("latin1", at, space),
      name: content.toString("utf8", space + 1, nul),
      sha: content.toString("hex", nul + 1, nul + 21)
    });
    at = nul + 21;
  }
  return entries;
}

// src/store/local-git-store.ts
var run = promisify(execFile2);
var LocalGitStore = class _LocalGitStore extends RepoStore {
  dir;
  #backend;
  constructor(dir, options, backend = new LocalGitBackend(dir)) {
    super(backend, options);
    this.dir = dir;
    this.#backend = backend;
  }
  /**
   * Ends the git process the store reads through (a later read starts another). Optional: an
   * idle one ends by itself and never keeps a program from exiting.
   */
  async close() {
    await this.#backend.close();
  }
  /**
   * Opens the repository that contains `dir`.
   *
   * @example
   * const store = await LocalGitStore.open(process.cwd());
   * @throws KaizenError when `dir` is not inside a git repository
   */
  static async open(dir, options = {}) {
    const absolute = path2.resolve(dir);
    try {
      const { stdout } = await run("git", ["rev-parse", "--show-toplevel"], { cwd: absolute });
      return new _LocalGitStore(stdout.trim(), options);
    } catch (error) {
      const reason = error.code === "ENOENT" ? "the directory does not exist or git is not installed" : "it is not inside a git repository (run `git init` there first)";
      throw new KaizenError(`cannot use ${absolute} as a Kaizen store: ${reason}`);
    }
  }
};
async function initRepository(dir, files = {}, prepare) {
  await mkdir(dir, { recursive: true });
  const env = kaizenGitEnv();
  await run("git", ["init", "--quiet", "--initial-branch=main"], { cwd: dir, env });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path2.dirname(path2.join(dir, file)), { recursive: true });
    await writeFile2(path2.join(dir, file), text);
  }
  await prepare?.(dir);
  await run("git", ["add", "--all"], { cwd: dir, env });
  await run("git", ["commit", "--quiet", "--allow-empty", "-m", "Initial commit"], { cwd: dir, env });
}

export {
  LocalGitStore,
  initRepository
};
