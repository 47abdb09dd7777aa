/**
 * Paces the commits of every repository of one GitHub installation together. GitHub's secondary
 * limits on content creation (80 requests a minute and 500 an hour) count per installation, not
 * per repository: two busy repositories of one organization, each paced on its own, exceed them
 * together. Turns are handed out first come, first served; a repository's flusher asks for one
 * turn per commit and queues again for the next, so busy repositories alternate and share the
 * installation's budget fairly.
 */

/** Requests one ingestion commit costs on GitHub: a tree, a commit and a ref update. */
export const REQUESTS_PER_COMMIT = 3;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** At most `commits` commits in any `windowMs` (an hour; tests shorten it). */
export interface HourlyBudget {
  commits: number;
  windowMs?: number;
}

/**
 * Ingestion's share of an installation's hour on GitHub: 120 commits are 360 of the 500
 * content-creating requests GitHub allows an hour, leaving 140 for the jobs, prompt versions,
 * pull requests and the dashboard written beside them.
 */
export const GITHUB_HOURLY_BUDGET: HourlyBudget = { commits: 120 };

/**
 * A token bucket that never allows more than `commits` in any window of `windowMs`: it holds at
 * most a sixth of them as a burst and refills the rest evenly over the window (burst + refill =
 * the budget). A plain count of the last hour would instead let a busy installation spend its
 * hour in the first minutes, then hold every request for most of an hour; here a sustained load
 * waits one refill interval per commit (36 s at the default), and group commit carries all
 * the entries that arrive meanwhile.
 */
class HourlyBucket {
  readonly capacity: number;
  readonly perMs: number;
  #tokens: number;
  #at: number;

  constructor(budget: HourlyBudget, now: number) {
    const windowMs = budget.windowMs ?? HOUR_MS;
    this.capacity = Math.max(1, Math.ceil(budget.commits / 6));
    this.perMs = Math.max(0, budget.commits - this.capacity) / windowMs;
    this.#tokens = this.capacity;
    this.#at = now;
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#at) * this.perMs);
    this.#at = now;
  }

  /** Milliseconds until a commit may go (Infinity when the budget holds fewer than one). */
  waitMs(now: number): number {
    this.#refill(now);
    if (this.#tokens >= 1) return 0;
    return this.perMs > 0 ? Math.ceil((1 - this.#tokens) / this.perMs) : Infinity;
  }

  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }
}

export class CommitPacer {
  readonly intervalMs: number;
  readonly id: string;
  #nextAt = 0;
  #hourly: HourlyBucket | null;
  #tail: Promise<void> = Promise.resolve();
  /** Times of the turns handed out in the last hour, oldest first. */
  #recent: number[] = [];

  /**
   * @param id what /metrics calls this budget (the installation id)
   * @param intervalMs least time between two commits (the per-minute limit); 0 never waits
   * @param hourly commits allowed in any hour (GitHub's hourly limit); none when absent
   */
  constructor(id: string, intervalMs: number, hourly?: HourlyBudget) {
    this.id = id;
    this.intervalMs = intervalMs;
    this.#hourly = hourly && Number.isFinite(hourly.commits) ? new HourlyBucket(hourly, Date.now()) : null;
  }

  /** Resolves when the caller may make its next commit; callers are served in arrival order. */
  turn(): Promise<void> {
    const mine = this.#tail.then(async () => {
      // A loop, not one wait: a timer may fire a millisecond early.
      for (let wait = this.#waitMs(Date.now()); wait > 0; wait = this.#waitMs(Date.now()))
        await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      this.#hourly?.take(now);
      this.#nextAt = now + this.intervalMs;
      this.#recent.push(now);
      this.#forget(now);
    });
    this.#tail = mine;
    return mine;
  }

  /** The longest a commit asked for now would wait, in ms (the larger of both limits). */
  #waitMs(now: number): number {
    return Math.max(this.#nextAt - now, this.#hourly?.waitMs(now) ?? 0);
  }

  /** Content-creating requests of ingestion commits in the last minute, for /metrics. */
  requestsLastMinute(now = Date.now()): number {
    return this.#turnsSince(now - MINUTE_MS, now) * REQUESTS_PER_COMMIT;
  }

  /** Content-creating requests of ingestion commits in the last hour, for /metrics. */
  requestsLastHour(now = Date.now()): number {
    return this.#turnsSince(now - HOUR_MS, now) * REQUESTS_PER_COMMIT;
  }

  #turnsSince(from: number, now: number): number {
    this.#forget(now);
    return this.#recent.filter((t) => t > from).length;
  }

  /** Drops turns older than an hour: nothing reports further back. */
  #forget(now: number): void {
    const kept = this.#recent.findIndex((t) => t > now - HOUR_MS);
    this.#recent.splice(0, kept === -1 ? this.#recent.length : kept);
  }
}
