/**
 * The rules a repository path from a user must pass, in one place: what git itself refuses or
 * silently drops at checkout (`verify_path` in git's read-cache.c, with `core.protectHFS` and
 * `core.protectNTFS` on, as on macOS and Windows), and what Kaizen may write at all. Every place
 * that takes a path from a person or a client (a task's `prompt_path` in `kaizen validate`, the
 * app's check run, `POST /api/v1/tasks`, the stores' backends, the prompt pull request) asks here.
 */

/** git refuses a longer path component on most filesystems (NAME_MAX). */
export const MAX_SEGMENT_BYTES = 255;
/** git and the filesystems it checks out on refuse a longer path (PATH_MAX). */
export const MAX_PATH_BYTES = 4096;

/**
 * Code points HFS+ ignores when it compares names, so `.g\u200cit` is `.git` on a Mac
 * (`next_hfs_char` in git's utf8.c).
 */
const HFS_IGNORABLE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * The first control character of a text (C0, DEL), described as `U+0000 at index 12`, or null.
 * Such characters split the line protocols git reads (`update-index -z --index-info`).
 */
export function controlCharacterIn(text: string): string | null {
  // eslint-disable-next-line no-control-regex
  const found = /[\u0000-\u001f\u007f]/.exec(text);
  if (!found) return null;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${code} at index ${found.index}`;
}

/**
 * A segment as a filesystem may compare it: HFS+ ignorable code points removed, NTFS's
 * alternate data stream (`:…`) and trailing dots and spaces dropped, in lower case.
 * `.G\u200dit. ` → `.git`.
 */
export function comparableSegment(segment: string): string {
  return segment
    .replace(HFS_IGNORABLE, "")
    .replace(/:.*$/s, "")
    .replace(/[. ]+$/, "")
    .toLowerCase();
}

/**
 * Whether a segment is, on some filesystem git checks out on, the name `.git` or git's own
 * special files: `.git`, `.gitmodules`, `.gitattributes`, `.gitignore`, `.mailmap` in any case,
 * with ignorable code points or trailing dots and spaces, or their NTFS 8.3 short names
 * (`GIT~1`, `GITMOD~1`, the hashed `GI7EBA~1`, …; `is_ntfs_dotgit` and friends in git's path.c).
 */
export function isGitSpecialName(segment: string): boolean {
  const name = comparableSegment(segment);
  if ([".git", ".gitmodules", ".gitattributes", ".gitignore", ".mailmap"].includes(name)) return true;
  return /^(git|gitmod|gi7eba|gitatt|gi7d29|gitign|gi250a|mailma|maba30)~[0-9]+$/.test(name);
}

/** `.git` or its NTFS short name `git~1`, in any spelling a filesystem folds to it. */
function isDotGit(segment: string): boolean {
  const name = comparableSegment(segment);
  return name === ".git" || name === "git~1";
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * Why git would refuse this path, drop it at checkout, or misplace it, or null: the rules of
 * `verify_path` with HFS and NTFS protection (no empty, `.` or `..` segment, no `.git` in any
 * spelling a filesystem folds to it), plus the length limits of the filesystems git writes to.
 * Paths are relative and '/'-separated.
 */
export function gitPathProblem(path: string): string | null {
  if (path.length === 0) return "is empty";
  const control = controlCharacterIn(path);
  if (control) return `contains a control character (${control})`;
  if (path.startsWith("/")) return "is absolute";
  if (utf8Bytes(path) > MAX_PATH_BYTES)
    return `is ${utf8Bytes(path)} bytes long; git and filesystems refuse paths over ${MAX_PATH_BYTES}`;
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return "has an empty, '.' or '..' segment";
  for (const segment of segments) {
    if (utf8Bytes(segment) > MAX_SEGMENT_BYTES)
      return `has a segment of ${utf8Bytes(segment)} bytes; filesystems refuse names over ${MAX_SEGMENT_BYTES}`;
    // NTFS also splits a name at '\\', so `.git\\hooks` names the directory .git there.
    if (segment.split("\\").some(isDotGit))
      return `has the segment ${JSON.stringify(segment)}, which git and macOS or Windows treat as .git`;
  }
  return null;
}

/**
 * Files and directories whose content a CI service, a git hook manager, an editor or a shell
 * runs by itself: a client of the API must never be able to create one.
 */
const EXECUTED_CONFIG = [
  ".github",
  ".gitlab-ci.yml",
  ".gitlab",
  ".circleci",
  ".travis.yml",
  ".drone.yml",
  ".woodpecker.yml",
  ".woodpecker",
  ".buildkite",
  ".semaphore",
  ".cirrus.yml",
  ".forgejo",
  ".gitea",
  ".azure-pipelines",
  "azure-pipelines.yml",
  "azure-pipelines.yaml",
  "bitbucket-pipelines.yml",
  "appveyor.yml",
  ".appveyor.yml",
  "jenkinsfile",
  "cloudbuild.yaml",
  "cloudbuild.yml",
  "buildspec.yml",
  "codefresh.yml",
  ".pre-commit-config.yaml",
  ".husky",
  ".devcontainer",
  ".vscode",
  ".envrc",
];

/**
 * Why Kaizen must not write a file at this path for a user, or null. On top of git's rules
 * ({@link gitPathProblem}): a path a checkout on Windows would change (reserved characters,
 * names ending in a dot or a space, device names), git's own files (`.gitmodules`, anything
 * named `.git…`), CI definitions and other files something executes (`.github/`,
 * `.gitlab-ci.yml`, `.circleci/`, `.husky/`, …), and the files Kaizen reads as configuration
 * (`.kaizen/config.yml`, `.kaizen/tasks/`). Names are compared as filesystems do (case, HFS+
 * ignorables, NTFS trailing dots), so no spelling slips past.
 */
export function writablePathProblem(path: string): string | null {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path))
    return "must be a path relative to the repository root, not an absolute path";
  if (path.includes("\\")) return "must use '/' as the separator";
  const git = gitPathProblem(path);
  if (git) return `must not be a path git refuses: it ${git}`;
  const segments = path.split("/");
  const comparable = segments.map(comparableSegment);
  const executed = comparable.find((s) => EXECUTED_CONFIG.includes(s));
  if (executed)
    return `must not lie at or under ${executed}: CI services, hook managers or editors run what it holds (Kaizen never writes workflows)`;
  for (const segment of segments) {
    const windows = windowsNameProblem(segment);
    if (windows) return `must not have the segment ${JSON.stringify(segment)}: ${windows}`;
    if (isGitSpecialName(segment) || comparableSegment(segment).startsWith(".git"))
      return `must not have the segment ${JSON.stringify(segment)}: names starting with .git are git's own`;
  }
  if (
    comparable[0] === ".kaizen" &&
    (comparable[1] === "tasks" || /^config\.ya?ml$/.test(comparable[1] ?? ""))
  )
    return "must not be Kaizen's own configuration (.kaizen/config.yml, .kaizen/tasks/)";
  return null;
}

/** Why Windows would refuse or rename a path segment, or null. */
function windowsNameProblem(segment: string): string | null {
  const reserved = /[<>:"|?*]/.exec(segment);
  if (reserved) return `Windows does not allow ${JSON.stringify(reserved[0])} in a name`;
  if (/[. ]$/.test(segment)) return "Windows drops a trailing dot or space from a name";
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i.test(segment)) return "it is a device name on Windows";
  // An 8.3 short name (`GIT~1`, `GITHUB~1`) can alias another name, `.git` among them.
  if (/^[^.~]{1,6}~[0-9]/.test(segment)) return "it has the shape of a Windows 8.3 short name (like GIT~1)";
  return null;
}

/**
 * The existing entry that keeps `path` from being created as a new file, or null: the path
 * itself (a file, a directory, a submodule), or a prefix of it that is not a directory.
 * `typeAt` holds the tree entry types (`blob`, `tree`, `commit`) of the path and its prefixes.
 */
export function entryInTheWay(path: string, typeAt: ReadonlyMap<string, string>): string | null {
  const segments = path.split("/");
  for (let i = 1; i < segments.length; i++) {
    const prefix = segments.slice(0, i).join("/");
    const type = typeAt.get(prefix);
    if (type !== undefined && type !== "tree") return prefix;
  }
  return typeAt.has(path) ? path : null;
}

/** A path as a case-insensitive filesystem compares it (macOS, Windows), segment by segment. */
function foldedPath(path: string): string {
  return path
    .split("/")
    .map((segment) => comparableSegment(segment.normalize("NFC")))
    .join("/");
}

/**
 * The existing path that `path`, or a directory on its way, differs from only in letter case
 * (or in what else macOS and Windows fold: Unicode normalization, ignorable code points), or
 * null. Git keeps `prompts/A.txt` and `prompts/a.txt` apart; a checkout on macOS or Windows
 * holds one file for both, so the other shows as modified and switching branches fails.
 * `existing` holds the repository's file paths (directories are found through them).
 * @example
 * caseTwin("Prompts/new.txt", ["prompts/old.txt"]) // "prompts"
 */
export function caseTwin(path: string, existing: Iterable<string>): string | null {
  const spellings = new Map<string, Set<string>>();
  for (const file of existing) {
    const segments = file.split("/");
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join("/");
      const folded = foldedPath(prefix);
      const known = spellings.get(folded) ?? new Set<string>();
      known.add(prefix);
      spellings.set(folded, known);
    }
  }
  const segments = path.split("/");
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join("/");
    const known = spellings.get(foldedPath(prefix));
    if (known && !known.has(prefix)) return [...known][0]!;
  }
  return null;
}
