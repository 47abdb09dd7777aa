/**
 * Check runs written through an idempotent "ensure": a redelivered webhook or a second app
 * instance finds the run already there with the same result and changes nothing.
 */
import type { Octokit } from "octokit";
import { fitBody, GITHUB_LIMITS } from "./limits.js";
import { paginate } from "./paginate.js";

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  title?: string;
  message: string;
}

export interface CheckRunResult {
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  annotations: readonly CheckRunAnnotation[];
  /** Where the full text is when the summary is cut to GitHub's limit. */
  fullReport?: string;
}

/**
 * Makes sure the commit carries a completed check run with this result: creates it when there
 * is none with this name or when the result changed, and does nothing when it matches.
 *
 * @example
 * await ensureCheckRun(octokit, { owner, repo }, { name: "Kaizen task configuration", headSha, conclusion: "success", title, summary, annotations: [] });
 * @returns what was done, for logs and tests
 */
export async function ensureCheckRun(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  result: CheckRunResult,
): Promise<"created" | "replaced" | "unchanged"> {
  const summary = fitBody(
    result.summary,
    GITHUB_LIMITS.checkRunText,
    result.fullReport ?? `the ${result.annotations.length} annotations of this check run`,
  );
  const runs = await paginate(octokit)("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repo,
    ref: result.headSha,
    check_name: result.name,
    filter: "latest",
    per_page: 100,
  });
  const existing = runs.find((run) => run.name === result.name);
  if (
    existing &&
    existing.conclusion === result.conclusion &&
    existing.output.title === result.title &&
    existing.output.summary === summary
  ) {
    return "unchanged";
  }
  // A changed result gets a new run (the latest run of a name is the one GitHub shows):
  // annotations sent with an update are added to the old ones, never replace them.
  const [first = [], ...rest] = chunk(result.annotations, GITHUB_LIMITS.annotationsPerRequest);
  const output = (annotations: readonly CheckRunAnnotation[]) => ({
    title: result.title,
    summary,
    annotations: [...annotations],
  });
  const created = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name: result.name,
    head_sha: result.headSha,
    status: "completed",
    conclusion: result.conclusion,
    output: output(first),
  });
  for (const more of rest) {
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...repo,
      check_run_id: created.data.id,
      output: output(more),
    });
  }
  return existing ? "replaced" : "created";
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
