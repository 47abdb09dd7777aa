/**
 * The world of "one complete Action run", shared by its request-count test and `npm run bench
 * -- action`: a repository with one task, 100 feedback entries and the app's PENDING job, and
 * the workflow_dispatch event GitHub sends for it.
 */
import { taskId } from "../../../src/core/ids.js";
import { GitHubStore } from "../../../src/store/github-store.js";
import { type FakeGitHub, testOctokit } from "../../fakes/github/index.js";
import { pendingJob } from "../../helpers/records.js";
import { loggedFeedback, SEED_PROMPT, TASK_YAML } from "../../optimizer/helpers/world.js";

export const ONE_RUN_REPO = "acme/support";

export async function prepareOneRun(github: FakeGitHub): Promise<{ jobId: string; event: unknown }> {
  const repoId = github.createRepo(ONE_RUN_REPO, {
    files: { ".kaizen/tasks/classify.yml": TASK_YAML, "prompts/classify.md": SEED_PROMPT },
  }).id;
  const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
  await store.appendFeedback("classify", loggedFeedback(100, String(repoId)), { retentionLimit: 1000 });
  const job = pendingJob("classify", { task_id: taskId(repoId, "classify"), triggered_by: "auto_threshold" });
  await store.putJob("classify", job);
  github.resetCounts();
  return {
    jobId: job.id,
    // As GitHub sends it: the payload's repository names its default branch.
    event: {
      inputs: { task: "classify", "job-id": job.id },
      repository: { id: repoId, full_name: ONE_RUN_REPO, default_branch: "main" },
    },
  };
}

/** `METHOD route: n` lines, most requested first: what a request-count failure shows. */
export function routeBreakdown(github: FakeGitHub): string {
  return [...github.counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([route, n]) => `${route}: ${n}`)
    .join("\n");
}
