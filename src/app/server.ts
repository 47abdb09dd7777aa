/**
 * The GitHub App's server: one node:http server carrying both halves, Probot's middleware for
 * `/api/github/webhooks` (Probot 14 has no Express) and Kaizen's API for everything else.
 */
import type { Server } from "node:http";
import { createNodeMiddleware, type Probot } from "probot";
import type { Octokit } from "octokit";
import { createApiHandler } from "./api/handler.js";
import { gitHubAdminChecker, GitHubRepos, type GitHubReposOptions } from "./github-repos.js";
import { createKaizenServer, type ServerLimits } from "./http-server.js";
import { Metrics } from "./metrics.js";
import { loadTokenizer } from "../optimizer/llm/tokens.js";
import { GitHubStore } from "../store/github-store.js";
import { retryPullRequest, startJob } from "./jobs.js";
import { forgetTasks } from "./tasks.js";
import { kaizenWebhooks } from "./webhooks/index.js";

export interface AppServerOptions extends GitHubReposOptions {
  probot: Probot;
  /** A client acting as a person, from their token (to check admin rights for /keys). */
  userClient: (token: string) => Pick<Octokit, "request">;
  /** Timeouts and the connection cap of the HTTP server (defaults: http-server.ts). */
  limits?: Partial<ServerLimits>;
}

export interface AppServer {
  server: Server;
  repos: GitHubRepos;
  metrics: Metrics;
}

export async function createAppServer(options: AppServerOptions): Promise<AppServer> {
  const log = options.log ?? ((message: string) => console.error(message));
  // The app plans its optimize answers' estimates in process: the tokenizer's tables are built
  // now, before the server listens, not inside the first optimize request.
  await loadTokenizer();
  const metrics = new Metrics();
  const repos = new GitHubRepos(options.probot, {
    ...options,
    onRateLimit: (repo, remaining) => metrics.recordRateLimit(repo, remaining),
  });
  const webhooks = await createNodeMiddleware(
    kaizenWebhooks({
      storeFor: (octokit, repo) =>
        new GitHubStore(octokit, {
          owner: repo.owner,
          repo: repo.repo,
        }),
      dashboardAction: async (repo, action) => {
        const context = await repos.byRepoKey(String(repo.id));
        if (!context) return;
        if (action.kind === "optimize") await startJob(context, action.task, "manual");
        else await retryPullRequest(context, action.jobId);
      },
      invalidate: (repo) => {
        repos
          .byRepoKey(String(repo.id))
          .then((context) => context && forgetTasks(context))
          .catch((error: unknown) =>
            log(`could not refresh the tasks of ${repo.id}: ${(error as Error).message}`),
          );
      },
    }),
    { probot: options.probot },
  );
  const api = createApiHandler({
    directory: repos,
    admin: gitHubAdminChecker(repos, options.userClient),
    metrics,
    repos: () => repos.all(),
    log: options.log,
  });
  const server = createKaizenServer(
    async (req, res) => {
      // Probot's middleware answers only what it handles (false otherwise): the API answers the rest.
      if (req.url?.startsWith("/api/github/webhooks") && (await webhooks(req, res)) !== false) return;
      return api(req, res);
    },
    log,
    options.limits,
  );
  return { server, repos, metrics };
}
