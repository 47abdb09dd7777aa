/**
 * The two shippers: GitHub's (the task's long-lived pull request, through the one "ensure" of
 * src/github/pulls.ts) and the local repository's (the branch `kaizen/<task>`: one Kaizen
 * commit with the new prompt on top of the base branch, the counterpart of the pull request's
 * branch).
 */
import type { Octokit } from "octokit";
import {
  ensurePromptPullRequest,
  KAIZEN_COMMIT_TRAILER,
  PullRequestError,
  taskBranch,
} from "../github/pulls.js";
import type { RepoStore } from "../store/repo-store.js";
import { ShipError, type ShipRequest, type Shipped, type Shipper } from "./ports.js";

export function gitHubShipper(
  octokit: Pick<Octokit, "request">,
  repo: { owner: string; repo: string },
): Shipper {
  return {
    async ship(request: ShipRequest): Promise<Shipped> {
      try {
        const pr = await ensurePromptPullRequest(octokit, { ...repo, ...request });
        const leftAlone = pr.action === "left-alone";
        return {
          url: pr.url,
          branch: pr.branch,
          leftAlone,
          step: leftAlone
            ? `Branch ${pr.branch} was changed by a person; Kaizen left it alone`
            : `Pull request ${pr.action}`,
        };
      } catch (error) {
        if (error instanceof PullRequestError) throw new ShipError(error.message);
        throw error;
      }
    },
  };
}

export function localBranchShipper(store: RepoStore): Shipper {
  return {
    async ship(request: ShipRequest): Promise<Shipped> {
      const backend = store.backend;
      const branch = taskBranch(request.task);
      try {
        const base = await backend.head(request.baseBranch);
        const current = await backend.head(branch);
        await backend.commit({
          branch,
          parent: base,
          expected: current,
          changes: new Map(Object.entries(request.files)),
          message: `${request.title}\n\n${KAIZEN_COMMIT_TRAILER}: ${request.jobId}`,
        });
      } catch (error) {
        throw new ShipError(`could not write the branch ${branch}: ${(error as Error).message}`);
      }
      return { url: null, branch, leftAlone: false, step: `Branch ${branch} written` };
    },
  };
}
