/**
 * Check runs written through an idempotent "ensure": a redelivered webhook or a second app
 * instance finds the run already there with the same result and changes nothing.
 */
import type { Octokit } from "octokit";

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
}

/** GitHub accepts at most 50 annotations per create or update request. */
const ANNOTATIONS_PER_REQUEST = 50;

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
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repo,
    ref: result.headSha,
    check_name: result.name,
    filter: "latest",
  });
  const existing = data.check_runs.find((run) => run.name === result.name);
  if (
    existing &&
    existing.conclusion === result.conclusion &&
    existing.output.title === result.title &&
    existing.output.summary === result.summary
  ) {
    return "unchanged";
  }
  // A changed result gets a new run (the latest run of a name is the one GitHub shows):
  // annotations sent with an update are added to the old ones, never replace them.
  const [first = [], ...rest] = chunk(result.annotations, ANNOTATIONS_PER_REQUEST);
  const output = (annotations: readonly CheckRunAnnotation[]) => ({
    title: result.title,
    summary: result.summary,
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
