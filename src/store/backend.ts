/**
 * The few git operations the store is built on. Two implementations: a git repository on
 * disk (plumbing commands) and a GitHub repository (the Git Data API). Everything above this
 * interface (segments, retention, dedup, retries on conflict) is written once, in RepoStore.
 */
import { KaizenError } from "../core/errors.js";
import { controlCharacterIn, gitPathProblem } from "../core/git-paths.js";

/** A file's new content, or null to delete it. Paths are relative, with '/' separators. */
export type FileChanges = ReadonlyMap<string, string | null>;

export interface CommitRequest {
  branch: string;
  /**
   * The commit the change is made on, and the value the branch must still have for the
   * update to land (compare-and-swap). Null creates the branch as an orphan: the update then
   * lands only if the branch does not exist yet.
   */
  parent: string | null;
  changes: FileChanges;
  message: string;
  /**
   * What the branch must point at for the update to land, when that differs from `parent`:
   * e.g. moving `kaizen/<task>` to a new commit on top of the default branch. Null: the branch
   * must not exist. Local repositories only.
   */
  expected?: string | null;
  /**
   * Every change must create a new file: nothing may exist at its path in the parent's tree,
   * nor a file where it needs a directory (PathTakenError). Checked against `parent`, so the
   * compare-and-swap makes it hold for the commit that lands. For what a client of the API asks.
   */
  createOnly?: boolean;
}

export interface GitBackend {
  /** A short label for logs and errors: a directory or `owner/repo`. */
  readonly label: string;

  /** The repository's default branch (`main`, `master`, …). */
  defaultBranch(): Promise<string>;

  /**
   * The commit a branch points at, or null when the branch does not exist. With `maybeStale`,
   * a backend may answer from what it last saw (its own last commit) without asking: a writer
   * whose compare-and-swap then fails re-reads, so only readers need the fresh value.
   */
  head(branch: string, options?: { maybeStale?: boolean }): Promise<string | null>;

  /**
   * Every file of a commit's tree below `dir` (recursively; '' for the whole tree), as path →
   * blob sha. Meant for Kaizen's own data branch, whose tree stays small.
   */
  listFiles(commit: string, dir: string): Promise<ReadonlyMap<string, string>>;

  /** A blob's text by its sha. Blobs never change, so implementations may cache freely. */
  readBlob(sha: string): Promise<string>;

  /**
   * A file's text at a branch, tag or commit, or null when it does not exist there. Never
   * follows a symlink: a path that is one throws SymlinkRefusedError.
   */
  readFile(ref: string, path: string): Promise<string | null>;

  /**
   * Makes one commit with `changes` applied to the parent's tree and moves the branch to it,
   * only if the branch still points at `parent`. Outside the data branch, a change to a path
   * that is a symlink, or lies below one, is refused (SymlinkRefusedError).
   * @returns the new commit's sha
   * @throws RefConflictError when the branch moved (another writer won the race)
   */
  commit(request: CommitRequest): Promise<string>;
}

/** The branch moved between our read and our write: re-read and re-apply. */
export class RefConflictError extends KaizenError {
  override name = "RefConflictError";
  constructor(
    readonly branch: string,
    readonly expected: string | null,
  ) {
    super(
      `branch ${branch} moved while we wrote to it (expected ${expected ?? "no branch"}); re-read and retry`,
    );
  }
}

/** The branch refuses direct writes (branch protection, rulesets): propose the change instead. */
export class ProtectedBranchError extends KaizenError {
  override name = "ProtectedBranchError";
  constructor(
    readonly branch: string,
    detail: string,
  ) {
    super(`branch ${branch} is protected: ${detail}`);
  }
}

/** A path or ref name that must never reach git: it would split git's input or escape the tree. */
export class UnsafeGitNameError extends KaizenError {
  override name = "UnsafeGitNameError";
  constructor(
    readonly what: "path" | "ref",
    readonly value: string,
    readonly problem: string,
  ) {
    super(`refusing the git ${what} ${JSON.stringify(value)}: it ${problem}`);
  }
}

/** The repository holds a symlink where Kaizen reads or writes a file: it never follows one. */
export class SymlinkRefusedError extends KaizenError {
  override name = "SymlinkRefusedError";
  constructor(readonly path: string) {
    super(
      `${path} is (or lies below) a symlink in the repository; Kaizen never follows symlinks: make it a regular file`,
    );
  }
}

/**
 * Why a branch name, tag or commit must not reach git, or null: git's check-ref-format rules
 * that matter here, plus no leading '-' (it would read as an option of a git command).
 */
export function refNameProblem(ref: string): string | null {
  if (ref.length === 0) return "is empty";
  const control = controlCharacterIn(ref);
  if (control) return `contains a control character (${control})`;
  if (ref.startsWith("-") || ref.startsWith("/")) return "starts with '-' or '/'";
  if (/[ ~^:?*[\\]|\.\.|@\{|\/\/|\/\.|\.lock$|[/.]$/.test(ref)) return "is not a valid git ref name";
  return null;
}

export function assertSafeGitPath(path: string): void {
  const problem = gitPathProblem(path);
  if (problem) throw new UnsafeGitNameError("path", path, problem);
}

export function assertSafeRefName(ref: string): void {
  const problem = refNameProblem(ref);
  if (problem) throw new UnsafeGitNameError("ref", ref, problem);
}

/** A directory argument of `listFiles`: '' (the whole tree) or a safe path. */
export function assertSafeGitDir(dir: string): void {
  const trimmed = dir.replace(/\/$/, "");
  if (trimmed !== "") assertSafeGitPath(trimmed);
}

/** `a/b/c` → `a`, `a/b`, `a/b/c`: every path whose entry could be a symlink on the way. */
export function pathPrefixes(path: string): string[] {
  const segments = path.split("/");
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}
