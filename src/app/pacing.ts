/**
 * Paces the commits of every repository of one GitHub installation together. GitHub's secondary
 * limit on content creation (about 80 requests a minute) counts per installation, not per
 * repository: two busy repositories of one organization, each paced on its own, exceed it
 * together. Turns are handed out first come, first served; a repository's flusher asks for one
 * turn per commit and queues again for the next, so busy repositories alternate and share the
 * installation's budget fairly.
 */

/** Requests one ingestion commit costs on GitHub: a tree, a commit and a ref update. */
export const REQUESTS_PER_COMMIT = 3;

export class CommitPacer {
  readonly intervalMs: number;
  readonly id: string;
  #nextAt = 0;
  #tail: Promise<void> = Promise.resolve();
  #recent: number[] = [];

  /** @param id what /metrics calls this budget (the installation id); `intervalMs` 0 never waits. */
  constructor(id: string, intervalMs: number) {
    this.id = id;
    this.intervalMs = intervalMs;
  }

  /** Resolves when the caller may make its next commit; callers are served in arrival order. */
  turn(): Promise<void> {
    const mine = this.#tail.then(async () => {
      const wait = this.#nextAt - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      this.#nextAt = now + this.intervalMs;
      this.#recent.push(now);
    });
    this.#tail = mine;
    return mine;
  }

  /** Content-creating requests of ingestion commits in the last minute, for /metrics. */
  requestsLastMinute(now = Date.now()): number {
    while (this.#recent.length > 0 && this.#recent[0]! <= now - 60_000) this.#recent.shift();
    return this.#recent.length * REQUESTS_PER_COMMIT;
  }
}
