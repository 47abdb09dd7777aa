/**
 * Starting the repository's Kaizen workflow for a job: `workflow_dispatch` with the task and
 * the job id as inputs (typed, one target, and the run's id back), within GitHub's limits.
 */
import type { Octokit } from "octokit";
import { KaizenError } from "../core/errors.js";

export const DEFAULT_WORKFLOW = "kaizen.yml";

/** GitHub refused to start the workflow; the message says which file and what to do. */
export class WorkflowDispatchError extends KaizenError {
  override name = "WorkflowDispatchError";
  constructor(
    readonly workflow: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(detail);
  }
}

/** Why GitHub would not start `.github/workflows/<workflow>` on `ref`, in words a person can act on. */
function refusal(workflow: string, ref: string, error: unknown): WorkflowDispatchError {
  const status =
    typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : null;
  const file = `.github/workflows/${workflow}`;
  const github =
    (error as { response?: { data?: { message?: string } } }).response?.data?.message ??
    (error as Error).message;
  const fix = `add ${file} with a workflow_dispatch trigger (\`kaizen init\` writes one), or name your workflow file in .kaizen/config.yml (\`workflow: <file>.yml\`)`;
  if (status === 404)
    return new WorkflowDispatchError(
      workflow,
      status,
      `GitHub has no workflow ${file} on the default branch (HTTP 404 Not Found): ${fix}`,
    );
  return new WorkflowDispatchError(
    workflow,
    status,
    `GitHub refused to start ${file} on ${ref}${status !== null ? ` (HTTP ${status})` : ""}: ${github}; ${fix}, and check that the token may run workflows (actions: write)`,
  );
}

export interface DispatchedRun {
  runId: number | null;
  url: string | null;
}

/**
 * @example
 * const run = await dispatchOptimization(octokit, { owner, repo }, { workflow: "kaizen.yml", ref: "main", task: "summarize", jobId });
 * @throws WorkflowDispatchError naming the workflow file and what to do
 */
export async function dispatchOptimization(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  options: { workflow: string; ref: string; task: string; jobId: string },
): Promise<DispatchedRun> {
  const response = await octokit
    .request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      ...repo,
      workflow_id: options.workflow,
      ref: options.ref,
      inputs: { task: options.task, "job-id": options.jobId },
      return_run_details: true,
    })
    .catch((error: unknown) => {
      throw refusal(options.workflow, options.ref, error);
    });
  const data = (response.status === 200 ? response.data : null) as {
    workflow_run_id?: number;
    html_url?: string;
  } | null;
  return { runId: data?.workflow_run_id ?? null, url: data?.html_url ?? null };
}
