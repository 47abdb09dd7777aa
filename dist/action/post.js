import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  JOB_IDS_STATE,
  createGitHubClient,
  getState,
  readInputs,
  throttleFrom,
  warning
} from "../chunks/chunk-J56U3MHQ.js";
import {
  GitHubStore
} from "../chunks/chunk-I4B3IQ2I.js";
import "../chunks/chunk-W23CEWNC.js";
import {
  isInFlight,
  transition
} from "../chunks/chunk-PDJIWQSQ.js";

// src/action/post.ts
async function runPost(env = process.env) {
  const ids = JSON.parse(getState(JOB_IDS_STATE) || "[]");
  if (ids.length === 0) return;
  try {
    const inputs = readInputs(env);
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? "/").split("/");
    const store = new GitHubStore(
      createGitHubClient({
        auth: inputs.githubToken,
        baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
        throttle: throttleFrom(env)
      }),
      { owner, repo }
    );
    for (const id of ids) {
      const found = await store.getJob(id);
      if (!found || !isInFlight(found.job.status)) continue;
      await store.updateJob(
        id,
        (j) => isInFlight(j.status) ? transition(j, "FAILED", {
          error_message: `the workflow run ended (cancelled or crashed) while the job was ${j.status}`,
          progress_step: "Failed"
        }) : j
      );
      warning(`job ${id} was still ${found.job.status}: marked FAILED`);
    }
  } catch (error) {
    warning(`could not clean up Kaizen jobs: ${error.message}`);
  }
}

// src/action/post-index.ts
await runPost();
