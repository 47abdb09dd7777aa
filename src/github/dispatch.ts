/**
 * Starting the repository's Kaizen workflow for a job: `workflow_dispatch` with the task and
 * the job id as inputs (typed, one target, and the run's id back), within GitHub's limits.
 */
import type { Octokit } from "octokit";

export const DEFAULT_WORKFLOW = "kaizen.yml";

export interface DispatchedRun {
  runId: number | null;
  url: string | null;
}

/**
 * @example
 * const run = await dispatchOptimization(octokit, { owner, repo }, { workflow: "kaizen.yml", ref: "main", task: "summarize", jobId });
 */
export async function dispatchOptimization(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  options: { workflow: string; ref: string; task: string; jobId: string },
): Promise<DispatchedRun> {
  const response = await octokit.request(
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    {
      ...repo,
      workflow_id: options.workflow,
      ref: options.ref,
      inputs: { task: options.task, "job-id": options.jobId },
      return_run_details: true,
    },
  );
  const data = (response.status === 200 ? response.data : null) as {
    workflow_run_id?: number;
    html_url?: string;
  } | null;
  return { runId: data?.workflow_run_id ?? null, url: data?.html_url ?? null };
}
