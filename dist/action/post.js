import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  JOB_IDS_STATE,
  actionClient,
  context,
  getState,
  readInputs,
  warning
} from "../chunks/chunk-OMV4QXMS.js";
import "../chunks/chunk-EB2CTJ4X.js";
import {
  GitHubStore
} from "../chunks/chunk-PCDSQX5D.js";
import "../chunks/chunk-RWCDTPBP.js";
import {
  failJob,
  isInFlight
} from "../chunks/chunk-ZA56Q3X5.js";
import "../chunks/chunk-APVKA7BG.js";
import "../chunks/chunk-EHX4BM5X.js";
import "../chunks/chunk-H57QFYJN.js";
import "../chunks/chunk-A3WLGUKI.js";
import "../chunks/chunk-U323PJSG.js";
import "../chunks/chunk-IM6PW7XL.js";
import "../chunks/chunk-WA4UGA32.js";
import "../chunks/chunk-4CXYVOQZ.js";

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
