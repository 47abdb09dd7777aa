/**
 * Getting a PENDING job run. On GitHub: a workflow_dispatch of the repository's Kaizen
 * workflow (`.github/workflows/kaizen.yml`, or the file `.kaizen/config.yml` names), with the
 * task and the job id as inputs; the run's id is recorded on the job. A job no runner will
 * pick up (the dispatch was refused) is failed at once, with the reason.
 */
import type { Octokit } from "octokit";
import { parse } from "yaml";
import { KaizenError } from "../core/errors.js";
import { transition } from "../core/job-state.js";
import { DEFAULT_WORKFLOW, dispatchOptimization, WorkflowDispatchError } from "../github/dispatch.js";
import type { Store } from "../store/store.js";
import { DispatchError, type Dispatcher, type JobRef } from "./ports.js";

export const REPO_CONFIG_PATH = ".kaizen/config.yml";

/**
 * The workflow file the repository's `.kaizen/config.yml` names (`workflow: optimize.yml`),
 * else kaizen.yml.
 * @throws KaizenError naming the file and the field when it is not a workflow file name
 */
export async function kaizenWorkflow(store: Store): Promise<string> {
  const text = await store.readRepoFile(REPO_CONFIG_PATH);
  if (text === null) return DEFAULT_WORKFLOW;
  let config: unknown;
  try {
    config = parse(text);
  } catch (error) {
    throw new KaizenError(`${REPO_CONFIG_PATH}: not valid YAML: ${(error as Error).message}`);
  }
  const workflow = (config as { workflow?: unknown } | null)?.workflow;
  if (workflow === undefined || workflow === null) return DEFAULT_WORKFLOW;
  if (
    typeof workflow !== "string" ||
    !/^[\w.-]+\.ya?ml$/.test(workflow.replace(/^\.github\/workflows\//, ""))
  )
    throw new KaizenError(
      `${REPO_CONFIG_PATH}: field "workflow" must be the file name of a workflow in .github/workflows (such as kaizen.yml), got ${JSON.stringify(workflow)}`,
    );
  return workflow.replace(/^\.github\/workflows\//, "");
}

export function gitHubDispatcher(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
  store: Store,
  log: (message: string) => void = () => {},
): Dispatcher {
  return {
    async dispatch({ task, job }: JobRef) {
      let workflow = DEFAULT_WORKFLOW;
      try {
        workflow = await kaizenWorkflow(store);
        const run = await dispatchOptimization(octokit, repo, {
          workflow,
          ref: await store.defaultBranch(),
          task,
          jobId: job.id,
        });
        await store.updateJob(job.id, (j) => ({
          ...j,
          job_metadata: { ...(j.job_metadata ?? {}), workflow_run_id: run.runId, workflow_run_url: run.url },
        }));
      } catch (error) {
        // A job no runner will pick up must not sit PENDING forever.
        const reason =
          error instanceof WorkflowDispatchError
            ? `could not start the Kaizen workflow: ${error.message}`
            : `could not start the Kaizen workflow (.github/workflows/${workflow}): ${(error as Error).message}`;
        const failed = await store.updateJob(job.id, (j) =>
          transition(j, "FAILED", { error_message: reason }),
        );
        log(reason);
        throw new DispatchError(failed, reason);
      }
    },
  };
}
