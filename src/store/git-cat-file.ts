/**
 * One long-lived `git cat-file --batch` per repository, instead of a git process per read.
 * Starting a process from a server holding a few hundred MB costs tens of milliseconds of the
 * main thread (the event loop waits for the fork), so a request that read twenty objects one
 * process each stalled every other request of the server.
 *
 * Reads are written to the process as they come (it answers in order, so they queue in its
 * pipe), and each gets its own answer. The process ends itself after a few idle seconds and
 * never keeps Node alive while idle; if it dies (killed, crashed), the reads it owed are sent
 * once more to a new one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { KaizenError } from "../core/errors.js";

/** An object as git stores it. */
export interface GitObject {
  sha: string;
  type: string;
  content: Buffer;
}

interface Read {
  name: string;
  resolve: (object: GitObject | null) => void;
  reject: (error: Error) => void;
  /** Sent again after a process died with it unanswered: only once. */
  resent: boolean;
}

/** Idle time after which the process is ended (the next read starts another). */
const IDLE_MS = 5_000;

export class GitCatFile {
  #dir: string;
  #env: NodeJS.ProcessEnv;
  #current: BatchProcess | null = null;
  #idle: NodeJS.Timeout | null = null;

  constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.#dir = dir;
    this.#env = env;
  }

  /** The process's id while one runs (diagnostics and tests). */
  get pid(): number | null {
    return this.#current?.pid ?? null;
  }

  /**
   * An object by any name git resolves (`<sha>`, `<commit>^{tree}`, `refs/heads/x^{commit}`), or
   * null when there is none.
   */
  read(name: string): Promise<GitObject | null> {
    // One name a line: a newline would make it two requests and shift every later answer.
    if (/[\n\r\0]/.test(name))
      return Promise.reject(new KaizenError(`invalid git object name ${JSON.stringify(name)}`));
    return new Promise((resolve, reject) => this.#send({ name, resolve, reject, resent: false }));
  }

  /**
   * Ends the process (after it answered what it owes); a later read starts another. Resolves
   * once it has exited, so none is left behind.
   */
  async close(): Promise<void> {
    this.#stopIdleTimer();
    const batch = this.#current;
    this.#current = null;
    await batch?.end();
  }

  #send(read: Read): void {
    this.#stopIdleTimer();
    this.#current ??= new BatchProcess(this.#dir, this.#env, {
      idle: (batch) => {
        if (batch !== this.#current) return;
        this.#idle = setTimeout(() => void this.close(), IDLE_MS);
        this.#idle.unref();
      },
      died: (batch, owed, error) => {
        if (batch === this.#current) this.#current = null;
        // Reads change nothing: what the process owed is asked of a new one, once.
        for (const read of owed) {
          if (read.resent) read.reject(error);
          else this.#send({ ...read, resent: true });
        }
      },
    });
    this.#current.send(read);
  }

  #stopIdleTimer(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
  }
}

/** One `git cat-file --batch` process and the reads it owes, in the order it answers them. */
class BatchProcess {
  #child: ChildProcessWithoutNullStreams;
  #owed: Read[] = [];
  #buffered: Buffer[] = [];
  #bufferedBytes = 0;
  /** The header of the answer being read, once it has arrived whole. */
  #header: { sha: string; type: string; size: number } | null = null;
  #exited: Promise<void>;

  constructor(
    dir: string,
    env: NodeJS.ProcessEnv,
    events: {
      idle: (batch: BatchProcess) => void;
      died: (batch: BatchProcess, owed: Read[], error: Error) => void;
    },
  ) {
    this.#child = spawn("git", ["cat-file", "--batch"], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let dead = false;
    const die = (error: Error) => {
      if (dead) return;
      dead = true;
      const owed = this.#owed;
      this.#owed = [];
      events.died(this, owed, error);
    };
    this.#exited = new Promise((resolve) => this.#child.once("close", () => resolve()));
    this.#child.stdout.on("data", (chunk: Buffer) => {
      this.#buffered.push(chunk);
      this.#bufferedBytes += chunk.length;
      if (this.#answer()) events.idle(this);
    });
    this.#child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    // A write to a process that just died fails with EPIPE; 'close' then hands its reads back.
    this.#child.stdin.on("error", () => {});
    this.#child.on("error", (error) => die(new KaizenError(`cannot run git: ${error.message}`)));
    this.#child.on("close", (code, signal) =>
      die(
        new KaizenError(
          `git cat-file --batch ended (${signal ?? `exit ${code}`}) before answering: ${stderr.trim() || "no message"}`,
        ),
      ),
    );
  }

  get pid(): number | null {
    return this.#child.pid ?? null;
  }

  send(read: Read): void {
    this.#owed.push(read);
    this.#hold(true);
    this.#child.stdin.write(`${read.name}\n`);
  }

  /** Closes its input: git answers what it was asked, then exits. */
  end(): Promise<void> {
    // Held until it has exited: whoever awaits the close must not see Node exit first.
    this.#hold(true);
    this.#child.stdin.end();
    return this.#exited;
  }

  /** Answers the owed reads whose whole answer has arrived; true when none is owed any more. */
  #answer(): boolean {
    for (;;) {
      if (!this.#header) {
        const data = this.#joined();
        const end = data.indexOf(0x0a);
        if (end === -1) {
          this.#keep(data);
          break;
        }
        const line = data.subarray(0, end).toString("utf8");
        this.#keep(data.subarray(end + 1));
        if (/ (missing|ambiguous)$/.test(line)) {
          this.#owed.shift()?.resolve(null);
          continue;
        }
        const [sha, type, size] = line.split(" ");
        this.#header = { sha: sha!, type: type!, size: Number(size) };
      }
      // The body, then the newline git ends it with; big bodies are joined once, when whole.
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

  #joined(): Buffer {
    const data = this.#buffered.length === 1 ? this.#buffered[0]! : Buffer.concat(this.#buffered);
    this.#buffered = [];
    this.#bufferedBytes = 0;
    return data;
  }

  #keep(rest: Buffer): void {
    if (rest.length === 0) return;
    this.#buffered = [rest];
    this.#bufferedBytes = rest.length;
  }

  /** Whether the process and its pipes keep Node's event loop alive: only while reads are owed. */
  #hold(busy: boolean): void {
    holdChild(this.#child, busy);
  }
}

/** Whether a long-lived child and its pipes keep Node's event loop alive (only while it owes answers). */
export function holdChild(child: ChildProcessWithoutNullStreams, busy: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as {
    ref(): void;
    unref(): void;
  }[])
    if (busy) handle.ref();
    else handle.unref();
}
