/**
 * GitHub mode: the repositories the app is installed on, each with its store, ingestion queue,
 * dispatcher and pull requests, all through that installation's token. An API key names a
 * repository by its numeric id; the app finds the installation that holds it.
 */
import type { Probot } from "probot";
import type { Octokit } from "octokit";
import { paginate } from "../github/paginate.js";
import { ensurePromptPullRequest, findOpenPullRequest, newTaskBranch } from "../github/pulls.js";
import { gitHubDispatcher, gitHubShipper } from "../jobs/index.js";
import { GitHubStore } from "../store/github-store.js";
import { HttpError } from "./api/http.js";
import type { AdminChecker } from "./api/routes/keys.js";
import { CanaryReporter } from "./canary-report.js";
import { Ingestion } from "./ingestion.js";
import { CommitPacer, GITHUB_HOURLY_BUDGET, type HourlyBudget } from "./pacing.js";
import type { RepoContext, RepoDirectory } from "./repo-context.js";
import { listTaskConfigs } from "./tasks.js";
import { triggerIfDue } from "./threshold-trigger.js";

type Client = Pick<Octokit, "request">;

export interface GitHubReposOptions {
  /**
   * Least time between two ingestion commits of one installation (all its repositories
   * together: GitHub's secondary limit of about 80 content-creating requests a minute counts per
   * installation). A commit is three requests, so 3 s keeps a busy installation at 60 a minute,
   * with room for the jobs, versions and pull requests written beside it.
   */
  minCommitIntervalMs?: number;
  /**
   * Ingestion commits of one installation in any hour (GitHub's secondary limit is 500
   * content-creating requests an hour per installation). Default GITHUB_HOURLY_BUDGET; a
   * `commits` of Infinity turns it off, a shorter `windowMs` lets tests reach it in seconds.
   */
  hourlyBudget?: HourlyBudget;
  maxQueued?: number;
  /** Least time between two updates of a task's canary check run (default 10 s). */
  canaryReportIntervalMs?: number;
  log?: (message: string) => void;
  /** Hears each installation response's `x-ratelimit-remaining`, for /metrics. */
  onRateLimit?: (repoFullName: string, remaining: number) => void;
}

interface Located {
  installationId: number;
  owner: string;
  repo: string;
  defaultBranch: string;
}

export class GitHubRepos implements RepoDirectory {
  #probot: Probot;
  #options: GitHubReposOptions;
  #located = new Map<string, Located>();
  #contexts = new Map<string, RepoContext>();
  #pacers = new Map<number, CommitPacer>();
  #lastScan = 0;

  constructor(probot: Probot, options: GitHubReposOptions = {}) {
    this.#probot = probot;
    this.#options = options;
  }

  all(): RepoContext[] {
    return [...this.#contexts.values()];
  }

  /** Records where a repository lives, as webhook events reveal it (saves a scan). */
  remember(repoId: number, located: Located): void {
    this.#located.set(String(repoId), located);
  }

  async byRepoKey(repoKey: string): Promise<RepoContext | null> {
    const cached = this.#contexts.get(repoKey);
    if (cached) return cached;
    let located = this.#located.get(repoKey);
    // An unknown repository: look through the installations again, at most once a minute.
    if (!located && Date.now() - this.#lastScan > 60_000) {
      await this.#scanInstallations();
      located = this.#located.get(repoKey);
    }
    if (!located) return null;
    const context = await this.#contextFor(repoKey, located);
    this.#contexts.set(repoKey, context);
    return context;
  }

  async byFullName(fullName: string): Promise<RepoContext | null> {
    const find = () =>
      [...this.#located].find(([, l]) => `${l.owner}/${l.repo}`.toLowerCase() === fullName.toLowerCase());
    let found = find();
    if (!found && Date.now() - this.#lastScan > 60_000) {
      await this.#scanInstallations();
      found = find();
    }
    return found ? this.byRepoKey(found[0]) : null;
  }

  async #scanInstallations(): Promise<void> {
    this.#lastScan = Date.now();
    const app = (await this.#probot.auth()) as unknown as Client;
    const installations = await paginate(app)("GET /app/installations", { per_page: 100 });
    for (const installation of installations) {
      const installationId = Number(installation.id);
      const octokit = (await this.#probot.auth(installationId)) as unknown as Client;
      const repositories = await paginate(octokit)("GET /installation/repositories", { per_page: 100 });
      for (const repo of repositories)
        this.remember(Number(repo.id), {
          installationId,
          owner: repo.owner.login,
          repo: repo.name,
          defaultBranch: repo.default_branch,
        });
    }
  }

  /** One pacer per installation, shared by all its repositories. */
  #pacerOf(installationId: number): CommitPacer {
    let pacer = this.#pacers.get(installationId);
    if (!pacer) {
      pacer = new CommitPacer(
        String(installationId),
        this.#options.minCommitIntervalMs ?? 3_000,
        this.#options.hourlyBudget ?? GITHUB_HOURLY_BUDGET,
      );
      this.#pacers.set(installationId, pacer);
    }
    return pacer;
  }

  async #contextFor(repoKey: string, located: Located): Promise<RepoContext> {
    const octokit = (await this.#probot.auth(located.installationId)) as unknown as Client;
    const repo = { owner: located.owner, repo: located.repo };
    const onRateLimit = this.#options.onRateLimit;
    if (onRateLimit) {
      (octokit as unknown as Pick<Octokit, "hook">).hook.after("request", (response) => {
        const remaining = Number(response.headers["x-ratelimit-remaining"]);
        if (Number.isFinite(remaining)) onRateLimit(`${located.owner}/${located.repo}`, remaining);
      });
    }
    const store = new GitHubStore(octokit, repo);
    const log = this.#options.log ?? (() => {});
    const context: RepoContext = {
      repoKey,
      fullName: `${located.owner}/${located.repo}`,
      store,
      ingestion: null as unknown as Ingestion,
      dispatcher: gitHubDispatcher(octokit, repo, store, log),
      shipper: gitHubShipper(octokit, repo),
      proposeChange: async (name, files, title, body) => {
        // A second request for the same name never rewrites a proposal under review.
        const branch = newTaskBranch(name);
        const open = await findOpenPullRequest(octokit, repo, branch);
        if (open)
          throw new HttpError(
            409,
            `"${title}" is already proposed in ${open.html_url}; merge or close it first`,
          );
        const outcome = await ensurePromptPullRequest(octokit, {
          createOnly: true,
          ...repo,
          task: name,
          branch,
          jobId: "api",
          baseBranch: located.defaultBranch,
          files,
          title,
          body,
        });
        return outcome.url ?? `https://github.com/${located.owner}/${located.repo}/tree/${branch}`;
      },
    };
    const canary = new CanaryReporter(octokit, repo, store, {
      ...(this.#options.canaryReportIntervalMs !== undefined
        ? { intervalMs: this.#options.canaryReportIntervalMs }
        : {}),
      log,
    });
    context.ingestion = new Ingestion(
      store,
      {
        pacer: this.#pacerOf(located.installationId),
        maxQueued: this.#options.maxQueued ?? 20_000,
      },
      async (task, result) => {
        // The report runs behind the commit: ingestion never waits on GitHub for it.
        const config = (await listTaskConfigs(context)).find((t) => t.name === task);
        if (config) canary.afterFeedback(config);
        await triggerIfDue(context, task, result.state);
      },
      log,
    );
    return context;
  }
}

/** Key management in GitHub mode: the bearer must be a person with admin rights on the repository. */
export function gitHubAdminChecker(
  repos: GitHubRepos,
  userClient: (token: string) => Pick<Octokit, "request">,
): AdminChecker {
  return {
    async check(bearer, repoFullName) {
      if (bearer === null) throw new HttpError(401, "missing Authorization: Bearer <your GitHub token>");
      if (repoFullName === null)
        throw new HttpError(422, [
          { loc: ["body", "repo"], msg: "name the repository (owner/name) the key is for", type: "missing" },
        ]);
      let login: string;
      try {
        login = (await userClient(bearer).request("GET /user")).data.login;
      } catch {
        throw new HttpError(401, "GitHub does not accept this token");
      }
      const repo = await repos.byFullName(repoFullName);
      if (!repo) throw new HttpError(404, `repository ${repoFullName} not found`);
      const [owner, name] = repoFullName.split("/") as [string, string];
      const app = (repo.store as GitHubStore).client;
      let permission = "none";
      try {
        permission = (
          await app.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
            owner,
            repo: name,
            username: login,
          })
        ).data.permission;
      } catch {
        // Not a collaborator at all.
      }
      // Existence is not revealed to people who are not admins: the same 404 as a missing repo.
      if (permission !== "admin") throw new HttpError(404, `repository ${repoFullName} not found`);
      return { repo, login };
    },
  };
}
