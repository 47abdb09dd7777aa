/**
 * One long-lived `git update-ref --stdin` per repository: every ref update of a commit goes to
 * it as a transaction (`start`, `update <ref> <new> <old>`, `prepare`, `commit`), so the update
 * stays git's own compare-and-swap under the ref's lock, without a process per commit.
 *
 * It runs with `core.fsync=reference`: git fsyncs the ref's file before renaming it into place.
 * A transaction git refuses (the ref moved, is locked) ends the process, with the reason on its
 * stderr; the next update starts another. Like the cat-file reader, it ends after a few idle
 * seconds and never keeps Node alive while idle.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { KaizenError } from "../core/errors.js";
import { holdChild } from "./git-cat-file.js";

/** Idle time after which the process is ended (the next update starts another). */
const IDLE_MS = 5_000;

/** git refused the transaction or died before confirming it; `stderr` says which. */
export class RefUpdateFailed extends KaizenError {
  override name = "RefUpdateFailed";
  constructor(
    readonly stderr: string,
    /** The process ended without a word (killed, crashed): whether the update landed is unknown. */
    readonly unknownOutcome: boolean,
  ) {
    super(`git update-ref --stdin failed: ${stderr.trim() || "the process ended"}`);
  }
}

interface Update {
  ref: string;
  newSha: string;
  oldSha: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class GitUpdateRef {
  #dir: string;
  #env: NodeJS.ProcessEnv;
  #current: UpdateProcess | null = null;
  #queue: Update[] = [];
  #busy = false;
  #idle: NodeJS.Timeout | null = null;

  constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.#dir = dir;
    this.#env = env;
  }

  get pid(): number | null {
    return this.#current?.pid ?? null;
  }

  /**
   * Moves `ref` from `oldSha` (40 zeros: the ref must not exist) to `newSha`, durably.
   * @throws RefUpdateFailed when git refuses or dies first
   */
  update(ref: string, newSha: string, oldSha: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ref, newSha, oldSha, resolve, reject });
      this.#next();
    });
  }

  async close(): Promise<void> {
    this.#stopIdleTimer();
    const current = this.#current;
    this.#current = null;
    await current?.end();
  }

  /** One transaction at a time: a refused one ends the process, and must not take others along. */
  #next(): void {
    if (this.#busy) return;
    const update = this.#queue.shift();
    if (!update) {
      this.#idle = setTimeout(() => void this.close(), IDLE_MS);
      this.#idle.unref();
      return;
    }
    this.#stopIdleTimer();
    this.#busy = true;
    this.#current ??= new UpdateProcess(this.#dir, this.#env);
    const running = this.#current;
    running.run(update).then(
      () => {
        this.#busy = false;
        update.resolve();
        this.#next();
      },
      (error: Error) => {
        if (this.#current === running) this.#current = null;
        this.#busy = false;
        update.reject(error);
        this.#next();
      },
    );
  }

  #stopIdleTimer(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
  }
}

class UpdateProcess {
  #child: ChildProcessWithoutNullStreams;
  #stdout = "";
  #stderr = "";
  #waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #exited: Promise<void>;
  #dead = false;

  constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn(
      "git",
      ["-c", "core.fsync=reference", "-c", "core.fsyncMethod=fsync", "update-ref", "--stdin", "-m", "kaizen"],
      { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] },
    );
    this.#exited = new Promise((resolve) => this.#child.once("close", () => resolve()));
    this.#child.stdout.on("data", (chunk: Buffer) => {
      this.#stdout += chunk.toString();
      if (this.#stdout.includes("commit: ok\n")) {
        this.#stdout = "";
        const waiting = this.#waiting;
        this.#waiting = null;
        this.#hold(false);
        waiting?.resolve();
      }
    });
    this.#child.stderr.on(
      "data",
      (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-2_000)),
    );
    this.#child.stdin.on("error", () => {});
    const die = (error: Error) => {
      if (this.#dead) return;
      this.#dead = true;
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.reject(error);
    };
    this.#child.on("error", (error) => die(new KaizenError(`cannot run git: ${error.message}`)));
    this.#child.on("close", (_code, signal) =>
      die(new RefUpdateFailed(this.#stderr || (signal ? `killed (${signal})` : ""), this.#stderr === "")),
    );
  }

  get pid(): number | null {
    return this.#child.pid ?? null;
  }

  run(update: { ref: string; newSha: string; oldSha: string }): Promise<void> {
    if (this.#dead) return Promise.reject(new RefUpdateFailed(this.#stderr, this.#stderr === ""));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#hold(true);
      this.#child.stdin.write(
        `start\nupdate ${update.ref} ${update.newSha} ${update.oldSha}\nprepare\ncommit\n`,
      );
    });
  }

  end(): Promise<void> {
    this.#hold(true);
    this.#child.stdin.end();
    return this.#exited;
  }

  /** Whether the process keeps Node's event loop alive: only while an update is owed. */
  #hold(busy: boolean): void {
    holdChild(this.#child, busy);
  }
}
