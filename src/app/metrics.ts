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

  render(repos: readonly RepoContext[]): string {
    const lines = [
      "# HELP kaizen_http_requests_total HTTP requests answered, by route and status.",
      "# TYPE kaizen_http_requests_total counter",
    ];
    for (const [labels, n] of this.#requests) lines.push(`kaizen_http_requests_total{${labels}} ${n}`);
    lines.push(
      "# HELP kaizen_ingestion_queue_depth Feedback and trace entries waiting for their commit.",
      "# TYPE kaizen_ingestion_queue_depth gauge",
    );
    for (const repo of repos)
      lines.push(`kaizen_ingestion_queue_depth{repo="${repo.fullName}"} ${repo.ingestion.queued}`);
    lines.push(
      "# HELP kaizen_commits_total Commits made by ingestion.",
      "# TYPE kaizen_commits_total counter",
    );
    for (const repo of repos)
      lines.push(`kaizen_commits_total{repo="${repo.fullName}"} ${repo.ingestion.stats.commits}`);
    lines.push(
      "# HELP kaizen_github_rate_limit_remaining Requests left in the current GitHub rate-limit window.",
      "# TYPE kaizen_github_rate_limit_remaining gauge",
    );
    for (const [repo, remaining] of this.#rateLimitRemaining)
      lines.push(`kaizen_github_rate_limit_remaining{repo="${repo}"} ${remaining}`);
    return `${lines.join("\n")}\n`;
  }
}
