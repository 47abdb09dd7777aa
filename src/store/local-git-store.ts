/**
 * The embedded default: the Store over a git repository on disk. What `kaizen serve`,
 * `kaizen optimize` and most tests use.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { KaizenError } from "../core/errors.js";
import { kaizenGitEnv, LocalGitBackend } from "./local-git-backend.js";
import { RepoStore, type RepoStoreOptions } from "./repo-store.js";

const run = promisify(execFile);

export class LocalGitStore extends RepoStore {
  readonly dir: string;

  #backend: LocalGitBackend;

  private constructor(dir: string, options: RepoStoreOptions, backend = new LocalGitBackend(dir)) {
    super(backend, options);
    this.dir = dir;
    this.#backend = backend;
  }

  /**
   * Ends the git process the store reads through (a later read starts another). Optional: an
   * idle one ends by itself and never keeps a program from exiting.
   */
  async close(): Promise<void> {
    await this.#backend.close();
  }

  /**
   * Opens the repository that contains `dir`.
   *
   * @example
   * const store = await LocalGitStore.open(process.cwd());
   * @throws KaizenError when `dir` is not inside a git repository
   */
  static async open(dir: string, options: RepoStoreOptions = {}): Promise<LocalGitStore> {
    const absolute = path.resolve(dir);
    try {
      const { stdout } = await run("git", ["rev-parse", "--show-toplevel"], { cwd: absolute });
      return new LocalGitStore(stdout.trim(), options);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "the directory does not exist or git is not installed"
          : "it is not inside a git repository (run `git init` there first)";
      throw new KaizenError(`cannot use ${absolute} as a Kaizen store: ${reason}`);
    }
  }
}

/**
 * Creates a git repository with one commit on `main` holding `files`: for demos, tests and
 * `kaizen init` on an empty directory. Commits as Kaizen, so it works where git has no user.
 *
 * @example
 * await initRepository("/tmp/demo", { ".kaizen/tasks/summarize.yml": "name: summarize\n" });
 */
export async function initRepository(
  dir: string,
  files: Readonly<Record<string, string>> = {},
  prepare?: (dir: string) => Promise<void>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const env = kaizenGitEnv();
  await run("git", ["init", "--quiet", "--initial-branch=main"], { cwd: dir, env });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await prepare?.(dir);
  await run("git", ["add", "--all"], { cwd: dir, env });
  await run("git", ["commit", "--quiet", "--allow-empty", "-m", "Initial commit"], { cwd: dir, env });
}
