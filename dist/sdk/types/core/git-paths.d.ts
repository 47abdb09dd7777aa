/**
 * The rules a repository path from a user must pass, in one place: what git itself refuses or
 * silently drops at checkout (`verify_path` in git's read-cache.c, with `core.protectHFS` and
 * `core.protectNTFS` on, as on macOS and Windows), and what Kaizen may write at all. Every place
 * that takes a path from a person or a client (a task's `prompt_path` in `kaizen validate`, the
 * app's check run, `POST /api/v1/tasks`, the stores' backends, the prompt pull request) asks here.
 */
/** git refuses a longer path component on most filesystems (NAME_MAX). */
export declare const MAX_SEGMENT_BYTES = 255;
/** git and the filesystems it checks out on refuse a longer path (PATH_MAX). */
export declare const MAX_PATH_BYTES = 4096;
/**
 * The first control character of a text (C0, DEL), described as `U+0000 at index 12`, or null.
 * Such characters split the line protocols git reads (`update-index -z --index-info`).
 */
export declare function controlCharacterIn(text: string): string | null;
/**
 * A segment as a filesystem may compare it: HFS+ ignorable code points removed, NTFS's
 * alternate data stream (`:…`) and trailing dots and spaces dropped, in lower case.
 * `.G\u200dit. ` → `.git`.
 */
export declare function comparableSegment(segment: string): string;
/**
 * Whether a segment is, on some filesystem git checks out on, the name `.git` or git's own
 * special files: `.git`, `.gitmodules`, `.gitattributes`, `.gitignore`, `.mailmap` in any case,
 * with ignorable code points or trailing dots and spaces, or their NTFS 8.3 short names
 * (`GIT~1`, `GITMOD~1`, the hashed `GI7EBA~1`, …; `is_ntfs_dotgit` and friends in git's path.c).
 */
export declare function isGitSpecialName(segment: string): boolean;
/**
 * Why git would refuse this path, drop it at checkout, or misplace it, or null: the rules of
 * `verify_path` with HFS and NTFS protection (no empty, `.` or `..` segment, no `.git` in any
 * spelling a filesystem folds to it), plus the length limits of the filesystems git writes to.
 * Paths are relative and '/'-separated.
 */
export declare function gitPathProblem(path: string): string | null;
/**
 * Why Kaizen must not write a file at this path for a user, or null. On top of git's rules
 * ({@link gitPathProblem}): a path a checkout on Windows would change (reserved characters,
 * names ending in a dot or a space, device names), git's own files (`.gitmodules`, anything
 * named `.git…`), CI definitions and other files something executes (`.github/`,
 * `.gitlab-ci.yml`, `.circleci/`, `.husky/`, …), and the files Kaizen reads as configuration
 * (`.kaizen/config.yml`, `.kaizen/tasks/`). Names are compared as filesystems do (case, HFS+
 * ignorables, NTFS trailing dots), so no spelling slips past.
 */
export declare function writablePathProblem(path: string): string | null;
/**
 * The existing entry that keeps `path` from being created as a new file, or null: the path
 * itself (a file, a directory, a submodule), or a prefix of it that is not a directory.
 * `typeAt` holds the tree entry types (`blob`, `tree`, `commit`) of the path and its prefixes.
 */
export declare function entryInTheWay(path: string, typeAt: ReadonlyMap<string, string>): string | null;
/**
 * The existing path that `path`, or a directory on its way, differs from only in letter case
 * (or in what else macOS and Windows fold: Unicode normalization, ignorable code points), or
 * null. Git keeps `prompts/A.txt` and `prompts/a.txt` apart; a checkout on macOS or Windows
 * holds one file for both, so the other shows as modified and switching branches fails.
 * `existing` holds the repository's file paths (directories are found through them).
 * @example
 * caseTwin("Prompts/new.txt", ["prompts/old.txt"]) // "prompts"
 */
export declare function caseTwin(path: string, existing: Iterable<string>): string | null;
