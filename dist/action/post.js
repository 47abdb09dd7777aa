import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  JOB_IDS_STATE,
  actionClient,
  context,
  getState,
  readInputs,
  warning
} from "../chunks/chunk-D5ICI26L.js";
import "../chunks/chunk-TW2OJW7N.js";
import {
  GitHubStore
} from "../chunks/chunk-FM2WJFBF.js";
import {
  failJob,
  isInFlight
} from "../chunks/chunk-D3CQPUUT.js";

// src/action/post.ts
async function runPost(env = process.env) {
  const ids = JSON.parse(getState(JOB_IDS_STATE) || "[]");
  if (ids.length === 0) return;
  try {
    const store = new GitHubStore(actionClient(readInputs(env).githubToken, env), context.repo);
    for (const id of ids) {
      const found = await store.getJob(id);
      if (!found || !isInFlight(found.job.status)) continue;
      await failJob(
        store,
        id,
        `the workflow run ended (cancelled or crashed) while the job was ${found.job.status}`
      );
      warning(`job ${id} was still ${found.job.status}: marked FAILED`);
    }
  } catch (error) {
    warning(`could not clean up Kaizen jobs: ${error.message}`);
  }
}

// src/action/post-index.ts
await runPost();
