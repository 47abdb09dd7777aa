/**
 * The prompt pull request of a task, written through one idempotent "ensure": branch
 * `kaizen/<task>` is one Kaizen commit on top of the base branch carrying the new prompt, and
 * one long-lived pull request per task is created or updated in place, never closed and
 * replaced. When a person has pushed to the branch, Kaizen leaves it alone and says so once.
 * The Action and the app's retry-pr both call this.
 */
import type { Octokit } from "octokit";
import { KaizenError, PathTakenError } from "../core/errors.js";
import { entryInTheWay, gitPathProblem } from "../core/git-paths.js";
import { promptPathProblem, TASK_FILE } from "../core/task-config-schema.js";
import { fitBody, GITHUB_LIMITS } from "./limits.js";
import { paginate } from "./paginate.js";

/** The trailer that marks a commit as Kaizen's own; a branch head without it was pushed by a person. */
export const KAIZEN_COMMIT_TRAILER = "Kaizen-Job";
const HUMAN_EDIT_MARKER = "<!-- kaizen:human-edited -->";

/**
 * A change for a task's branch: files on top of the base branch and the words that go with
 * them. The one record of it: a job's shippers deliver it (src/jobs/ports.ts calls it
 * ShipRequest), and the API proposes it as a pull request.
 */
export interface PromptChange {
  task: string;
  jobId: string;
  /** The branch the change is for (the task's github_base_branch, else the default branch). */
  baseBranch: string;
  /** The branch to propose on; `kaizen/<task>`, the task's own, when absent. */
  branch?: string;
  /** Files to write on the branch, path → text (the prompt at `prompt_path`). */
  files: Readonly<Record<string, string>>;
  title: string;
  body: string;
}

/** A PromptChange as a pull request of a repository. */
export interface PromptPullRequest extends PromptChange {
  owner: string;
  repo: string;
  /**
   * Every file must be new on the base branch (PathTakenError otherwise): what a client of the
   * API proposes never replaces a file people wrote, even through review.
   */
  createOnly?: boolean;
}

export interface PullRequestOutcome {
  action: "created" | "updated" | "left-alone";
  url: string | null;
  number: number | null;
  branch: string;
}

/** GitHub refused the pull request; `status` and `reason` say why, for `PR_FAILED`. */
export class PullRequestError extends KaizenError {
  override name = "PullRequestError";
  constructor(
    readonly status: number | null,
    readonly reason: string,
  ) {
    super(`GitHub refused the pull request${status !== null ? ` (HTTP ${status})` : ""}: ${reason}`);
  }
}

export const taskBranch = (task: string) => `kaizen/${task}`;

/**
 * The branch that proposes a task created through the API. Outside `kaizen/`: a task named
 * `task-x` owns `kaizen/task-x`, so a prefix inside that namespace would collide with it.
 */
export const newTaskBranch = (task: string) => `kaizen-new/${task}`;

/**
 * @example
 * const pr = await ensurePromptPullRequest(octokit, { owner, repo, task: "summarize", jobId, baseBranch: "main",
 *   files: { "prompts/summarize.md": text }, title: "Kaizen: better prompt for summarize", body: report });
 */
export async function ensurePromptPullRequest(
  octokit: Pick<Octokit, "request">,
  pr: PromptPullRequest,
): Promise<PullRequestOutcome> {
  const repo = { owner: pr.owner, repo: pr.repo };
  const branch = pr.branch ?? taskBranch(pr.task);
  try {
    const baseSha = await refSha(octokit, repo, `heads/${pr.baseBranch}`);
    if (baseSha === null) throw new PullRequestError(404, `base branch ${pr.baseBranch} does not exist`);
    const commit = await commitOnBase(octokit, repo, pr, baseSha);
    // Most runs find no branch: creating it is the one request that tells, and a branch GitHub
    // had to create has no pull request yet (deleting a branch closes its pull requests).
    if (await createBranch(octokit, repo, branch, commit))
      return await openPullRequest(octokit, repo, pr, null);

    const open = await findOpenPullRequest(octokit, repo, branch);
    const branchHead = await refSha(octokit, repo, `heads/${branch}`);
    // A person's commits on a branch whose pull request was merged are in the base now: the
    // branch is spent, and Kaizen starts afresh on it.
    if (
      branchHead !== null &&
      !(await isKaizenCommit(octokit, repo, branchHead)) &&
      (open || !(await wasMerged(octokit, repo, branch, branchHead)))
    ) {
      if (open)
        await commentOnce(
          octokit,
          repo,
          open.number,
          `${HUMAN_EDIT_MARKER}\nSomeone pushed to \`${branch}\`, so Kaizen leaves this branch alone: new results for **${pr.task}** will not be written here until the branch is deleted or merged.`,
        );
      return { action: "left-alone", url: open?.html_url ?? null, number: open?.number ?? null, branch };
    }
    // The branch is Kaizen's own (checked above), so moving it is a force update: it always
    // holds exactly one Kaizen commit on top of the base.
    if (branchHead === null) {
      if (!(await createBranch(octokit, repo, branch, commit)))
        throw new PullRequestError(409, `branch ${branch} was created by someone else at the same time`);
    } else {
      await octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
        ...repo,
        ref: `heads/${branch}`,
        sha: commit,
        force: true,
      });
    }
    return await openPullRequest(octokit, repo, pr, open);
  } catch (error) {
    if (error instanceof PullRequestError || error instanceof PathTakenError) throw error;
    const status =
      typeof (error as { status?: unknown }).status === "number"
        ? (error as { status: number }).status
        : null;
    throw new PullRequestError(status, refusalReason(status, (error as Error).message));
  }
}

/**
 * GitHub's reason, with what to do where GitHub's own words do not say it: new repositories do
 * not let a workflow's own token open pull requests.
 */
function refusalReason(status: number | null, message: string): string {
  if (status === 403 && /not permitted to create or approve pull requests/i.test(message))
    return `${message} Allow it in the repository's Settings → Actions → General → Workflow permissions ("Allow GitHub Actions to create and approve pull requests"), or pass a GitHub App's token as \`github-token\` (README, "Optimize in GitHub Actions")`;
  return message;
}

/** One Kaizen commit with the files on top of the base commit; nothing moves yet. */
async function commitOnBase(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  pr: PromptPullRequest,
  baseSha: string,
): Promise<string> {
  const baseTree = await refuseUnsafePaths(octokit, repo, baseSha, Object.keys(pr.files), pr.createOnly);
  const tree = await octokit.request("POST /repos/{owner}/{repo}/git/trees", {
    ...repo,
    base_tree: baseTree,
    tree: Object.entries(pr.files).map(([path, content]) => ({
      path,
      mode: "100644" as const,
      type: "blob" as const,
      content,
    })),
  });
  const commit = await octokit.request("POST /repos/{owner}/{repo}/git/commits", {
    ...repo,
    message: `${pr.title}\n\n${KAIZEN_COMMIT_TRAILER}: ${pr.jobId}`,
    tree: tree.data.sha,
    parents: [baseSha],
  });
  return commit.data.sha;
}

/** Creates the branch at `sha`; false when it already exists. */
async function createBranch(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  branch: string,
  sha: string,
): Promise<boolean> {
  try {
    await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
      ...repo,
      ref: `refs/heads/${branch}`,
      sha,
    });
    return true;
  } catch (error) {
    const message = String((error as { response?: { data?: { message?: string } } }).response?.data?.message);
    if ((error as { status?: number }).status === 422 && /already exists/i.test(message)) return false;
    throw error;
  }
}

/** Updates the open pull request in place, or creates it (finding one GitHub says exists). */
async function openPullRequest(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  pr: PromptPullRequest,
  open: { number: number } | null,
): Promise<PullRequestOutcome> {
  const branch = pr.branch ?? taskBranch(pr.task);
  const body = fitBody(pr.body, GITHUB_LIMITS.issueBody, fullReportOf(pr));
  if (!open) {
    try {
      const created = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
        ...repo,
        title: pr.title,
        head: branch,
        base: pr.baseBranch,
        body,
        maintainer_can_modify: true,
      });
      return { action: "created", url: created.data.html_url, number: created.data.number, branch };
    } catch (error) {
      const message = String(
        (error as { response?: { data?: { message?: string } } }).response?.data?.message,
      );
      if ((error as { status?: number }).status !== 422 || !/already exists/i.test(message)) throw error;
      open = await findOpenPullRequest(octokit, repo, branch);
      if (!open) throw error;
    }
  }
  const updated = await octokit.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
    ...repo,
    pull_number: open.number,
    title: pr.title,
    body,
  });
  return { action: "updated", url: updated.data.html_url, number: updated.data.number, branch };
}

/** Where a report cut to GitHub's limit can be read whole. */
const fullReportOf = (pr: PromptPullRequest) =>
  `job ${pr.jobId} (\`kaizen status ${pr.task}\`, or \`jobs/${pr.task}/${pr.jobId}.json\` on branch \`kaizen/data\`)`;

/**
 * Refuses a file path that must not be written (control characters, `.git`, workflows) or
 * that is, or lies below, a symlink of the base commit: Kaizen never writes through a symlink;
 * with `createOnly`, also a path that exists in the base commit. Returns the base commit's
 * tree. The base is listed whole in one request, one directory at a time when GitHub cuts it.
 */
async function refuseUnsafePaths(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  baseSha: string,
  paths: readonly string[],
  createOnly = false,
): Promise<string> {
  for (const path of paths) {
    // A task's own file is Kaizen's configuration, which only the task's creation writes.
    const problem = TASK_FILE.test(path) ? gitPathProblem(path) : promptPathProblem(path);
    if (problem) throw new PullRequestError(null, `the file path ${JSON.stringify(path)} ${problem}`);
  }
  const route = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
  const whole = await octokit.request(route, { ...repo, tree_sha: baseSha, recursive: "1" });
  const prefixes = (path: string) => path.split("/").map((_, i, all) => all.slice(0, i + 1).join("/"));
  const typeAt = new Map<string, string>();
  if (!whole.data.truncated) {
    const entries = new Map(whole.data.tree.map((e) => [e.path, e]));
    for (const path of paths)
      for (const prefix of prefixes(path)) {
        const entry = entries.get(prefix);
        if (entry?.type) typeAt.set(prefix, entry.mode === "120000" ? "symlink" : entry.type);
      }
  } else {
    for (const path of paths) {
      let tree: string | null = whole.data.sha;
      for (const [i, segment] of path.split("/").entries()) {
        if (tree === null) break;
        const listed: { data: { tree: { path?: string; mode?: string; type?: string; sha?: string }[] } } =
          await octokit.request(route, { ...repo, tree_sha: tree });
        const entry = listed.data.tree.find((e) => e.path === segment);
        if (entry?.type) typeAt.set(prefixes(path)[i]!, entry.mode === "120000" ? "symlink" : entry.type);
        tree = entry?.type === "tree" && entry.sha ? entry.sha : null;
      }
    }
  }
  for (const [prefix, type] of typeAt)
    if (type === "symlink")
      throw new PullRequestError(
        null,
        `${prefix} is a symlink in the repository; Kaizen never writes through a symlink`,
      );
  for (const path of createOnly ? paths : []) {
    const taken = entryInTheWay(path, typeAt);
    if (taken !== null) throw new PathTakenError(taken, path);
  }
  return whole.data.sha;
}

/** The open pull request of `branch`, or null. */
export async function findOpenPullRequest(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  branch: string,
) {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 1,
  });
  return data[0] ?? null;
}

/** Whether a closed pull request of `branch` merged the branch at `head`. */
async function wasMerged(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  branch: string,
  head: string,
): Promise<boolean> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "closed",
    per_page: 10,
  });
  return data.some((pr) => pr.merged_at !== null && pr.head.sha === head);
}

async function refSha(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  ref: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

async function isKaizenCommit(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  sha: string,
): Promise<boolean> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
    ...repo,
    commit_sha: sha,
  });
  return new RegExp(`^${KAIZEN_COMMIT_TRAILER}: `, "m").test(data.message);
}

async function commentOnce(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  issueNumber: number,
  body: string,
): Promise<void> {
  const comments = await paginate(octokit)("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  if (comments.some((c) => c.body?.includes(HUMAN_EDIT_MARKER))) return;
  await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...repo,
    issue_number: issueNumber,
    body: fitBody(body, GITHUB_LIMITS.issueBody, "the job's record on branch kaizen/data"),
  });
}
