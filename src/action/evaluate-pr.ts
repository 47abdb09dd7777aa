/**
 * The Action on `pull_request`: a pull request that changes a task's prompt file gets the check
 * run "Kaizen: prompt evaluation" on its head commit, with the report of the edit against the
 * active prompt on held-out logged feedback. Every push is a new head, so the check follows the
 * pull request. The check informs and never fails; without a model key, or when the evaluation
 * cannot run, it says why in its text. A pull request from a fork runs with a read-only token and
 * no secrets: it is not evaluated, and the report goes to the job summary only.
 */
import type { Octokit } from "octokit";
import type { TaskConfig } from "../core/task-config-schema.js";
import { ensureCheckRun } from "../github/check-runs.js";
import { paginate } from "../github/paginate.js";
import { evaluatePrompt, type EvaluationOutcome } from "../jobs/evaluate.js";
import { defaultCacheDir } from "../optimizer/llm/cache.js";
import { CHECK_RUN_TEXT_LIMIT, reportForGitHub } from "../report/index.js";
import { GitHubStore } from "../store/github-store.js";
import { loadTasks } from "../store/tasks.js";
import type { ActionInputs } from "./inputs.js";
import type { ActionEvent, ActionResult, ActionRuntime } from "./types.js";

export const EVALUATION_CHECK_NAME = "Kaizen: prompt evaluation";

type Client = Pick<Octokit, "request">;

interface PullRequestPayload {
  number: number;
  /** `repo` is null when the fork was deleted. */
  head: { sha: string; repo?: { full_name?: string; fork?: boolean } | null };
}

/**
 * Whether the pull request comes from another repository: its workflow gets a read-only token
 * and no secrets, whatever the workflow's `permissions` say.
 */
function fromFork(pr: PullRequestPayload, repo: { owner: string; repo: string }): boolean {
  const head = pr.head.repo;
  if (head === undefined) return false;
  if (head === null || head.fork === true) return true;
  return (head.full_name ?? "").toLowerCase() !== `${repo.owner}/${repo.repo}`.toLowerCase();
}

const TITLES: Record<EvaluationOutcome["verdict"], string> = {
  better: "Better than the active prompt",
  worse: "Worse than the active prompt",
  unclear: "Not measurably different from the active prompt",
  unchanged: "Same text as the active prompt",
  "not-enough-data": "Not enough logged feedback to evaluate",
};

export async function evaluatePullRequest(
  inputs: ActionInputs,
  event: ActionEvent,
  octokit: Client,
  runtime: ActionRuntime,
): Promise<ActionResult> {
  const pr = event.payload.pull_request as PullRequestPayload | undefined;
  if (!pr) return { outputs: {}, summary: "", failure: "the pull_request event carries no pull request" };
  const store = new GitHubStore(octokit, event.repo);
  const changed = await changedFiles(octokit, event.repo, pr.number);
  const tasks = (await loadTasks(store)).tasks.filter((t) => t.prompt_path && changed.has(t.prompt_path));
  if (tasks.length === 0) {
    runtime.info("No task's prompt file changes in this pull request: nothing to evaluate.");
    return { outputs: {}, summary: "", failure: null };
  }
  if (fromFork(pr, event.repo)) {
    runtime.info(
      "This pull request comes from a fork: its workflow has a read-only token and no secrets, so Kaizen evaluates nothing and writes no check run; the job summary says so.",
    );
    return {
      outputs: {},
      summary: tasks
        .map(
          (t) =>
            `## Kaizen: your edit of ${t.name}\n\nNot evaluated: pull requests from forks run without the repository's secrets and with a read-only token. A maintainer can evaluate the edit from a branch of this repository.\n`,
        )
        .join("\n"),
      failure: null,
    };
  }
  const sections: string[] = [];
  const titles: string[] = [];
  let better = tasks.length > 0;
  for (const task of tasks) {
    const { title, report, verdict } = await evaluateTask(
      inputs,
      event,
      octokit,
      store,
      task,
      pr.head.sha,
      runtime,
    );
    sections.push(report);
    titles.push(tasks.length > 1 ? `${task.name}: ${title}` : title);
    better &&= verdict === "better";
  }
  const summary = sections.join("\n\n");
  try {
    const outcome = await ensureCheckRun(octokit, event.repo, {
      name: EVALUATION_CHECK_NAME,
      headSha: pr.head.sha,
      // It informs a reviewer; it never blocks a merge.
      conclusion: better ? "success" : "neutral",
      title: titles.join("; ").slice(0, 250),
      summary: reportForGitHub(summary, CHECK_RUN_TEXT_LIMIT, null),
      annotations: [],
    });
    runtime.info(`${EVALUATION_CHECK_NAME} on ${pr.head.sha.slice(0, 7)}: ${titles.join("; ")} (${outcome})`);
  } catch (error) {
    // A read-only token that is not a fork's (Dependabot's, or a workflow without `checks: write`).
    if ((error as { status?: unknown }).status !== 403) throw error;
    runtime.warning(
      `${EVALUATION_CHECK_NAME} was not written: the workflow's token may not write check runs (${errorMessage(error)}). Give the job \`checks: write\`; the report is in the job summary.`,
    );
  }
  return { outputs: {}, summary, failure: null };
}

async function evaluateTask(
  inputs: ActionInputs,
  event: ActionEvent,
  octokit: Client,
  store: GitHubStore,
  task: TaskConfig,
  sha: string,
  runtime: ActionRuntime,
): Promise<{ title: string; report: string; verdict: EvaluationOutcome["verdict"] | "error" }> {
  const heading = `## Kaizen: your edit of ${task.name}`;
  if (!inputs.openaiApiKey)
    return {
      verdict: "error",
      title: "Not evaluated: no model key",
      report: `${heading}\n\n⚠️ **Not evaluated: the workflow has no model key.** Kaizen needs one to run both prompts on held-out feedback. Add the secret \`OPENAI_API_KEY\` to the repository and pass it as \`openai-api-key\`. Pull requests from forks get no secrets, so they are never evaluated.\n`,
    };
  try {
    const fileText = await fileAt(octokit, event.repo, task.prompt_path!, sha);
    const outcome = await evaluatePrompt({
      store,
      task: task.name,
      fileText,
      endpoint: {
        apiKey: inputs.openaiApiKey,
        ...(inputs.openaiBaseUrl ? { baseURL: inputs.openaiBaseUrl } : {}),
      },
      cacheDir: defaultCacheDir(runtime.env),
      maxCostUsd: inputs.maxCostUsd,
      footer: { jobId: null, runUrl: runUrlOf(runtime.env) },
    });
    return { verdict: outcome.verdict, title: TITLES[outcome.verdict], report: outcome.report };
  } catch (error) {
    runtime.warning(`${task.name}: the prompt evaluation did not run: ${errorMessage(error)}`);
    return {
      verdict: "error",
      title: "Not evaluated: see the text",
      report: `${heading}\n\n⚠️ **Not evaluated: ${errorMessage(error)}.**\n`,
    };
  }
}

/** The paths a pull request adds or modifies (GitHub lists at most 3,000). */
async function changedFiles(
  octokit: Client,
  repo: { owner: string; repo: string },
  pull_number: number,
): Promise<Set<string>> {
  const files = await paginate(octokit)("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...repo,
    pull_number,
    per_page: 100,
  });
  return new Set(files.filter((file) => file.status !== "removed").map((file) => file.filename));
}

async function fileAt(
  octokit: Client,
  repo: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<string> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path, ref });
  const content = !Array.isArray(data) && data.type === "file" ? data.content : undefined;
  if (typeof content !== "string") throw new Error(`${path} at ${ref.slice(0, 7)} is not a file`);
  return Buffer.from(content, "base64").toString("utf8");
}

/** The link to this workflow run, from the variables GitHub sets in every job. */
export function runUrlOf(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : null;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
