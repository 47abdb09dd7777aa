/** Counters for `GET /metrics`, in Prometheus' text format. */
import type { RepoContext } from "./repo-context.js";

export class Metrics {
  #requests = new Map<string, number>();
  /** `x-ratelimit-remaining` of the last GitHub response, per repository (none in local mode). */
  #rateLimitRemaining = new Map<string, number>();

  countRequest(method: string, route: string, status: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }

  /** Called with every GitHub response's `x-ratelimit-remaining` (an installation's budget). */
  recordRateLimit(repo: string, remaining: number): void {
    this.#rateLimitRemaining.set(repo, remaining);
  }

  /**
   * Without credentials only figures summed over every repository are served: a repository's
   * name (private ones too) is not public. A caller with a repository's API key (`only`) also
   * gets that one repository's own lines.
   */
  render(repos: readonly RepoContext[], only: RepoContext | null = null): string {
    const sum = (f: (repo: RepoContext) => number) => repos.reduce((total, repo) => total + f(repo), 0);
    const lines = [
      "# HELP kaizen_http_requests_total HTTP requests answered, by route and status.",
      "# TYPE kaizen_http_requests_total counter",
    ];
    for (const [labels, n] of this.#requests) lines.push(`kaizen_http_requests_total{${labels}} ${n}`);
    lines.push(
      "# HELP kaizen_repositories Repositories this server has served since it started.",
      "# TYPE kaizen_repositories gauge",
      `kaizen_repositories ${repos.length}`,
      "# HELP kaizen_ingestion_queue_depth Feedback and trace entries waiting for their commit.",
      "# TYPE kaizen_ingestion_queue_depth gauge",
      `kaizen_ingestion_queue_depth ${sum((r) => r.ingestion.queued)}`,
    );
    if (only) lines.push(`kaizen_ingestion_queue_depth{repo="${only.fullName}"} ${only.ingestion.queued}`);
    lines.push(
      "# HELP kaizen_commits_total Commits made by ingestion.",
      "# TYPE kaizen_commits_total counter",
      `kaizen_commits_total ${sum((r) => r.ingestion.stats.commits)}`,
    );
    if (only) lines.push(`kaizen_commits_total{repo="${only.fullName}"} ${only.ingestion.stats.commits}`);
    lines.push(
      "# HELP kaizen_github_rate_limit_remaining Requests left in the current GitHub rate-limit window (the lowest of all repositories without a label).",
      "# TYPE kaizen_github_rate_limit_remaining gauge",
    );
    if (this.#rateLimitRemaining.size > 0)
      lines.push(`kaizen_github_rate_limit_remaining ${Math.min(...this.#rateLimitRemaining.values())}`);
    const own = only ? this.#rateLimitRemaining.get(only.fullName) : undefined;
    if (only && own !== undefined)
      lines.push(`kaizen_github_rate_limit_remaining{repo="${only.fullName}"} ${own}`);
    // GitHub's secondary limit counts per installation: the figure to watch is the busiest one.
    const pacers = [...new Set(repos.map((r) => r.ingestion.pacer))];
    lines.push(
      "# HELP kaizen_installation_content_requests_per_minute Content-creating GitHub requests of ingestion commits in the last minute, per installation (the busiest without a label); GitHub's secondary limit is 80.",
      "# TYPE kaizen_installation_content_requests_per_minute gauge",
      `kaizen_installation_content_requests_per_minute ${Math.max(0, ...pacers.map((p) => p.requestsLastMinute()))}`,
    );
    if (only)
      lines.push(
        `kaizen_installation_content_requests_per_minute{installation="${only.ingestion.pacer.id}"} ${only.ingestion.pacer.requestsLastMinute()}`,
      );
    lines.push(
      "# HELP kaizen_installation_content_requests_per_hour Content-creating GitHub requests of ingestion commits in the last hour, per installation (the busiest without a label); GitHub's secondary limit is 500.",
      "# TYPE kaizen_installation_content_requests_per_hour gauge",
      `kaizen_installation_content_requests_per_hour ${Math.max(0, ...pacers.map((p) => p.requestsLastHour()))}`,
    );
    if (only)
      lines.push(
        `kaizen_installation_content_requests_per_hour{installation="${only.ingestion.pacer.id}"} ${only.ingestion.pacer.requestsLastHour()}`,
      );
    return `${lines.join("\n")}\n`;
  }
}
