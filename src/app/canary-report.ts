/**
 * Production's verdict on the pull request: after feedback is committed, the check run
 * "Kaizen: production canary" on the candidate's pull request is updated in place (both arms,
 * the difference and its interval, the decision, the offline proof beside it); on `stop` the
 * pull request gets one comment with the figures; on `promote` with `promote: auto` the app
 * merges it (the merge webhook activates the version, as for a person's merge).
 *
 * Paced: at most one update per task every `intervalMs` (a trailing one shows the last
 * entries), so a busy canary costs a few requests a minute whatever the traffic; a new decision
 * is reported at once, and refreshes the dashboard issue. The pace holds across every instance
 * serving the repository: the check run carries the time it was last written, and an instance
 * that finds it written less than `intervalMs` ago by another leaves it for a trailing update.
 */
import type { Octokit } from "octokit";
import type { CanaryView } from "../core/canary.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { fitBody, GITHUB_LIMITS } from "../github/limits.js";
import { paginate } from "../github/paginate.js";
import { canaryMarkdown, canaryTitle } from "../render/canary.js";
import { canaryArms, readCanaryView } from "../store/canary-state.js";
import type { Store } from "../store/store.js";
import { refreshDashboard } from "../jobs/dashboard.js";

export const CANARY_CHECK_NAME = "Kaizen: production canary";
/** Ten seconds: six check-run updates a minute per task at most, well inside GitHub's limits. */
export const CANARY_REPORT_INTERVAL_MS = 10_000;

type Client = Pick<Octokit, "request">;
const stopMarker = (candidateId: string) => `<!-- kaizen-canary-stop:${candidateId} -->`;
/** When an instance last wrote the check run; hidden in its summary, read by every instance. */
const writtenAt = (at: number) => `<!-- kaizen-canary-written:${at} -->`;
const WRITTEN_AT = /^<!-- kaizen-canary-written:(\d+) -->\n/;

export class CanaryReporter {
  #client: Client;
  #repo: { owner: string; repo: string };
  #store: Store;
  #intervalMs: number;
  #log: (message: string) => void;
  #last = new Map<string, { at: number; decision: string }>();
  #pending = new Map<string, NodeJS.Timeout>();
  #running = new Map<string, Promise<void>>();

  constructor(
    client: Client,
    repo: { owner: string; repo: string },
    store: Store,
    options: { intervalMs?: number; log?: (message: string) => void } = {},
  ) {
    this.#client = client;
    this.#repo = repo;
    this.#store = store;
    this.#intervalMs = options.intervalMs ?? CANARY_REPORT_INTERVAL_MS;
    this.#log = options.log ?? (() => {});
  }

  /** Feedback of this task was committed: report now, or once the interval has passed. */
  afterFeedback(config: TaskConfig): void {
    const last = this.#last.get(config.name);
    if (!config.canary || !last) return this.#schedule(config, 0);
    // A new decision skips the pace: read the state these entries were folded into.
    this.#store
      .getCanary(config.name)
      .then((state) => {
        if (state && state.decision !== last.decision) {
          clearTimeout(this.#pending.get(config.name));
          this.#pending.delete(config.name);
          this.#schedule(config, 0);
        } else this.#schedule(config, last.at + this.#intervalMs - Date.now());
      })
      .catch((error: unknown) => this.#log(`canary report of ${config.name}: ${(error as Error).message}`));
  }

  #schedule(config: TaskConfig, waitMs: number): void {
    if (!config.canary || this.#pending.has(config.name)) return;
    const wait = Math.max(0, waitMs);
    const timer = setTimeout(() => {
      this.#pending.delete(config.name);
      void this.report(config).catch((error: unknown) =>
        this.#log(`canary report of ${config.name}: ${(error as Error).message}`),
      );
    }, wait);
    timer.unref?.();
    this.#pending.set(config.name, timer);
  }

  /** Reports the canary on its pull request (one report per task at a time). */
  async report(config: TaskConfig): Promise<void> {
    const running = this.#running.get(config.name);
    if (running) return running;
    const work = this.#report(config).finally(() => this.#running.delete(config.name));
    this.#running.set(config.name, work);
    return work;
  }

  async #report(config: TaskConfig): Promise<void> {
    const versions = await this.#store.listPromptVersions(config.name);
    const view = await readCanaryView(this.#store, config, versions);
    const arms = canaryArms(versions);
    if (!view || !arms || view.candidate_version_id !== arms.candidate.id) return;
    const pr = await this.#pullRequestOf(config.name, arms.candidate.id);
    if (!pr) return;
    const decided = view.decision !== "collecting" && this.#last.get(config.name)?.decision !== view.decision;
    this.#last.set(config.name, { at: Date.now(), decision: view.decision });
    const offline = { candidate: arms.candidate.eval_score, active: arms.active.eval_score };
    const busyForMs = await this.#ensureCheckRun(pr.headSha, view, offline);
    // Another instance wrote the figures a moment ago: show the newest ones once the pace allows.
    if (busyForMs > 0) this.#schedule(config, busyForMs);
    if (view.decision === "stop") await this.#ensureStopComment(pr.number, view, offline);
    if (view.decision === "promote" && config.canary?.promote === "auto") await this.#merge(pr);
    // The dashboard's ensure writes nothing when unchanged, so every instance may ask.
    if (decided) await refreshDashboard(this.#store, this.#client, this.#repo);
  }

  /** The open pull request of the job that produced the candidate, or null. */
  async #pullRequestOf(
    task: string,
    candidateId: string,
  ): Promise<{ number: number; headSha: string } | null> {
    const job = (await this.#store.listJobs(task)).find(
      (j) => j.prompt_version_id === candidateId && j.pr_url,
    );
    const number = Number(/\/pull\/(\d+)$/.exec(job?.pr_url ?? "")?.[1]);
    if (!Number.isInteger(number)) return null;
    const { data } = await this.#client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      ...this.#repo,
      pull_number: number,
    });
    return data.state === "open" ? { number, headSha: data.head.sha } : null;
  }

  /**
   * One check run per head commit, patched as the figures change (never a new run per update).
   * @returns 0, or how long to wait when another instance wrote the running figures too recently
   */
  async #ensureCheckRun(headSha: string, view: CanaryView, offline: OfflineProof): Promise<number> {
    const now = Date.now();
    const figures = fitBody(
      canaryMarkdown(view, offline),
      GITHUB_LIMITS.checkRunText - writtenAt(now).length - 1,
      "kaizen canary status",
    );
    const summary = `${writtenAt(now)}\n${figures}`;
    const title = canaryTitle(view);
    const result =
      view.decision === "collecting"
        ? { status: "in_progress" as const }
        : {
            status: "completed" as const,
            conclusion: view.decision === "promote" ? ("success" as const) : ("failure" as const),
          };
    const runs = await paginate(this.#client)("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      ...this.#repo,
      ref: headSha,
      check_name: CANARY_CHECK_NAME,
      filter: "latest",
      per_page: 100,
    });
    const existing = runs.find((run) => run.name === CANARY_CHECK_NAME);
    if (!existing) {
      await this.#client.request("POST /repos/{owner}/{repo}/check-runs", {
        ...this.#repo,
        name: CANARY_CHECK_NAME,
        head_sha: headSha,
        ...result,
        output: { title, summary },
      });
      return 0;
    }
    const written = WRITTEN_AT.exec(existing.output.summary ?? "");
    const same =
      existing.status === result.status &&
      (existing.conclusion ?? undefined) === ("conclusion" in result ? result.conclusion : undefined) &&
      existing.output.title === title &&
      (existing.output.summary ?? "").slice(written?.[0].length ?? 0) === figures;
    // A decided run is final, as the decision is.
    if (same || existing.status === "completed") return 0;
    const sinceWritten = written ? now - Number(written[1]) : Infinity;
    if (view.decision === "collecting" && sinceWritten < this.#intervalMs)
      return this.#intervalMs - sinceWritten;
    await this.#client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...this.#repo,
      check_run_id: existing.id,
      ...result,
      output: { title, summary },
    });
    return 0;
  }

  /** One comment per stopped candidate, found again by its hidden marker. */
  async #ensureStopComment(number: number, view: CanaryView, offline: OfflineProof): Promise<void> {
    const marker = stopMarker(view.candidate_version_id!);
    const comments = await paginate(this.#client)(
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      {
        ...this.#repo,
        issue_number: number,
        per_page: 100,
      },
    );
    if (comments.some((c) => c.body?.includes(marker))) return;
    const body = fitBody(
      `${marker}\n### Kaizen: the production canary stopped this candidate\n\nEvery unit is served the active version again.\n\n${canaryMarkdown(view, offline)}\n`,
      GITHUB_LIMITS.issueBody,
      "kaizen canary status",
    );
    await this.#client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...this.#repo,
      issue_number: number,
      body,
    });
  }

  async #merge(pr: { number: number; headSha: string }): Promise<void> {
    await this.#client.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", {
      ...this.#repo,
      pull_number: pr.number,
      // Only the head the canary measured is merged: a later push is another candidate.
      sha: pr.headSha,
    });
    this.#log(`canary promoted: merged pull request #${pr.number}`);
  }
}

type OfflineProof = { candidate: number | null; active: number | null };
