/**
 * Kaizen's webhook handlers, as a Probot application function. Each handler answers well
 * inside GitHub's 10-second limit: it reads what it needs, writes through idempotent "ensure"
 * operations, and ignores events of repositories that have nothing of Kaizen's, before any
 * API call.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { isTerminal } from "../../core/job-state.js";
import { ensureCheckRun } from "../../github/check-runs.js";
import { DATA_BRANCH, TASKS_DIR } from "../../store/layout.js";
import { activateMerged } from "../../jobs/index.js";
import { archivePromptVersion } from "../../store/prompt-versions.js";
import type { Store } from "../../store/store.js";
import { isDashboard } from "../../github/dashboard.js";
import { tickedActions, type DashboardAction } from "../../report/dashboard.js";
import { refreshDashboard } from "../../jobs/index.js";
import { canWrite, isKaizensDashboard, tickId } from "./dashboard-issue.js";
import { DELIVERY_RETENTION_MS, handleOnce, RecentDeliveries } from "./deliveries.js";
import { checkTaskFiles, TASK_CHECK_NAME } from "./task-check.js";

export interface RepoRef {
  owner: string;
  repo: string;
  /** GitHub's numeric repository id (task ids derive from it). */
  id: number;
}

export interface WebhookDeps {
  /** The store of one repository, reached with the event's installation client. */
  storeFor(octokit: Context["octokit"], repo: RepoRef): Store;
  /** Forget cached reads of a repository's data branch (someone else wrote to it). */
  invalidate(repo: RepoRef): void;
  /** Acts on a box a person ticked on the dashboard issue (start a job, retry a pull request). */
  dashboardAction?(repo: RepoRef, action: DashboardAction): Promise<void>;
}

const TASK_BRANCH_PREFIX = "kaizen/";
const isTaskFile = (path: string) => path.startsWith(`${TASKS_DIR}/`) && /\.ya?ml$/.test(path);

/**
 * @example
 * const middleware = await createNodeMiddleware(kaizenWebhooks({ storeFor, invalidate }), { probot });
 */
export function kaizenWebhooks(deps: WebhookDeps): ApplicationFunction {
  return (app: Probot) => {
    const deliveries = new RecentDeliveries(2_000);
    const once =
      <C extends Context>(handler: (context: C) => Promise<void>) =>
      async (context: C) => {
        // A redelivered event (same X-GitHub-Delivery) changes nothing twice in this instance,
        // and is marked only once handled, so GitHub's redelivery of a failure runs again. The
        // ensure operations, and `handleOnce` for what is not idempotent, make that hold across
        // instances and restarts.
        if (!deliveries.begin(context.id)) return;
        let succeeded = false;
        try {
          await handler(context);
          succeeded = true;
        } finally {
          deliveries.end(context.id, succeeded);
        }
      };

    app.on(
      "push",
      once(async (context) => {
        const { payload } = context;
        const repo = repoOf(payload.repository);
        if (payload.ref === `refs/heads/${DATA_BRANCH}`) {
          deps.invalidate(repo);
          return;
        }
        if (payload.ref !== `refs/heads/${payload.repository.default_branch}` || payload.deleted) return;
        const touched = payload.commits.some((c) =>
          [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some(isTaskFile),
        );
        if (!touched) return;
        await reportTaskCheck(context, deps.storeFor(context.octokit, repo), repo, payload.after);
      }),
    );

    app.on(
      ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
      once(async (context) => {
        const { payload } = context;
        const repo = repoOf(payload.repository);
        const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
          owner: repo.owner,
          repo: repo.repo,
          pull_number: payload.pull_request.number,
          per_page: 100,
        });
        if (
          !files.some(
            (f) =>
              isTaskFile(f.filename) ||
              (f.previous_filename !== undefined && isTaskFile(f.previous_filename)),
          )
        )
          return;
        await reportTaskCheck(
          context,
          deps.storeFor(context.octokit, repo),
          repo,
          payload.pull_request.head.sha,
        );
      }),
    );

    app.on(
      "issues.edited",
      once(async (context) => {
        const { payload } = context;
        if (!isDashboard(payload.issue) || payload.sender.type === "Bot" || !deps.dashboardAction) return;
        const before = payload.changes.body?.from ?? "";
        const repo = repoOf(payload.repository);
        const actions = tickedActions(before, payload.issue.body ?? "");
        if (actions.length === 0) return;
        const store = deps.storeFor(context.octokit, repo);
        // A tick starts paid runs: only on Kaizen's own issue, by someone who may write here.
        if (!(await isKaizensDashboard(store, payload.issue))) {
          context.log.warn(
            `issue #${payload.issue.number} looks like the dashboard but is not Kaizen's; ignored`,
          );
          return;
        }
        if (!(await canWrite(context.octokit, repo, payload.sender.login))) {
          context.log.warn(`${payload.sender.login} ticked the dashboard without write permission; ignored`);
          return;
        }
        // GitHub signs the body, not the delivery id: a captured delivery resent under a new id
        // must not start paid runs again. A tick is known by what it asks for (this issue, these
        // boxes, the edit's time), and an edit older than the deliveries kept is not acted on.
        const editedAt = payload.issue.updated_at;
        if (!(Date.now() - Date.parse(editedAt) < DELIVERY_RETENTION_MS)) {
          context.log.warn(
            `a dashboard edit of ${editedAt} is too old to act on (a replayed delivery?); ignored`,
          );
          return;
        }
        await handleOnce(store, tickId(repo.id, payload.issue.number, editedAt, actions), () =>
          actOnTicks(context, deps, store, repo, actions),
        );
      }),
    );

    app.on(
      "pull_request.closed",
      once(async (context) => {
        const { payload } = context;
        const branch = payload.pull_request.head.ref;
        if (!branch.startsWith(TASK_BRANCH_PREFIX) || branch === DATA_BRANCH) return;
        // A fork can name its branch kaizen/<task>: only Kaizen's own branch, in this
        // repository, with the pull request its job recorded, settles a version.
        if (payload.pull_request.head.repo?.id !== payload.repository.id) return;
        const task = branch.slice(TASK_BRANCH_PREFIX.length);
        const repo = repoOf(payload.repository);
        const store = deps.storeFor(context.octokit, repo);
        if (!(await store.listJobs(task)).some((job) => job.pr_url === payload.pull_request.html_url)) {
          context.log.warn(`pull request #${payload.pull_request.number} is not one Kaizen opened; ignored`);
          return;
        }
        await handleOnce(store, context.id, async () => {
          await settlePromptPullRequest(store, task, payload.pull_request, context.log);
          await refreshDashboard(store, context.octokit, { owner: repo.owner, repo: repo.repo });
        });
      }),
    );
  };
}

async function actOnTicks(
  context: Context<"issues.edited">,
  deps: WebhookDeps,
  store: Store,
  repo: RepoRef,
  actions: readonly DashboardAction[],
): Promise<void> {
  const failures: string[] = [];
  for (const action of actions) {
    await deps.dashboardAction!(repo, action).catch((error: unknown) => {
      context.log.warn(`dashboard ${action.kind}: ${(error as Error).message}`);
      failures.push(`${action.kind}: ${(error as Error).message}`);
    });
  }
  // Re-rendering unticks the boxes and shows the new jobs.
  await refreshDashboard(store, context.octokit, { owner: repo.owner, repo: repo.repo });
  // A failed action fails the delivery, so that it is not marked handled and GitHub's
  // redelivery tries again.
  if (failures.length > 0) throw new Error(`dashboard actions failed: ${failures.join("; ")}`);
}

function repoOf(repository: {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string } | null;
}): RepoRef {
  return {
    owner: repository.owner?.login ?? repository.full_name.split("/")[0]!,
    repo: repository.name,
    id: repository.id,
  };
}

async function reportTaskCheck(
  context: Context<"push" | "pull_request">,
  store: Store,
  repo: RepoRef,
  sha: string,
): Promise<void> {
  const files = new Map((await store.listTaskFiles(sha)).map((f) => [f.path, f.text] as const));
  const result = checkTaskFiles(files);
  const outcome = await ensureCheckRun(
    context.octokit,
    { owner: repo.owner, repo: repo.repo },
    { name: TASK_CHECK_NAME, headSha: sha, ...result },
  );
  context.log.info(`task check on ${sha.slice(0, 7)}: ${result.conclusion} (${outcome})`);
}

/**
 * A Kaizen pull request was closed: merged makes its version `active` (and the previous one
 * `archived`); closed unmerged archives it and records on the job that people rejected it.
 */
async function settlePromptPullRequest(
  store: Store,
  task: string,
  pr: {
    html_url: string;
    merged: boolean | null;
    closed_at: string | null;
    number: number;
    merge_commit_sha: string | null;
  },
  log: Context["log"],
): Promise<void> {
  const jobs = await store.listJobs(task);
  const job = jobs.find((j) => j.pr_url === pr.html_url && j.prompt_version_id !== null);
  const versionId =
    job?.prompt_version_id ??
    (await store.listPromptVersions(task)).find((v) => v.status === "candidate")?.id;
  if (!versionId) {
    log.warn(
      `pull request #${pr.number} of task ${task} closed, but no candidate version is recorded for it`,
    );
    return;
  }
  if (pr.merged) {
    // What was merged goes live: a person's edit in review included.
    await activateMerged(store, task, versionId, pr.merge_commit_sha);
  } else {
    await archivePromptVersion(store, task, versionId);
  }
  if (job && isTerminal(job.status)) {
    const outcome = { state: pr.merged ? "merged" : "rejected", number: pr.number, closed_at: pr.closed_at };
    await store.updateJob(
      job.id,
      (j) => ({ ...j, job_metadata: { ...(j.job_metadata ?? {}), pull_request: outcome } }),
      `Record that ${task}'s pull request was ${outcome.state}`,
    );
  }
}
