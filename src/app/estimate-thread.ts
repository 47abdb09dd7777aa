/**
 * The cost estimate of one optimize answer of `kaizen serve` (the 202's cost_estimate), on a
 * thread of its own (estimate.ts starts it): planning a run reads the task's feedback and counts
 * its tokens with tables of ~70 MB that take ~0.6 s to build, and neither belongs on the
 * server's event loop or in its memory. The thread opens its own store on the repository (it
 * only reads) and answers one message.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { TaskConfig } from "../core/task-config-schema.js";
import { plainText } from "../core/plain-text.js";
import { LocalGitStore } from "../store/local-git-store.js";
import { fromTaskConfig } from "./api/config-errors.js";
import { HttpError } from "./api/http.js";
import { estimateTask, type EstimateAnswer } from "./estimate.js";

/** What the server hands the thread: plain data only. */
export interface EstimateThreadInput {
  repoDir: string;
  task: TaskConfig;
}

/** The thread's one message: the estimate, the API's refusal, or why it could not be made. */
export type EstimateThreadMessage =
  | { estimate: EstimateAnswer }
  | { refused: { status: number; detail: unknown; headers: Record<string, string> } }
  | { failed: string };

const input = workerData as EstimateThreadInput;
const store = await LocalGitStore.open(input.repoDir);
let message: EstimateThreadMessage;
try {
  const { record, budgetWarning } = await fromTaskConfig(input.task, () => estimateTask(store, input.task));
  message = { estimate: { record, budgetWarning } };
} catch (error) {
  message =
    error instanceof HttpError
      ? { refused: { status: error.status, detail: error.detail, headers: error.headers } }
      : { failed: error instanceof Error ? error.message : plainText(error) };
} finally {
  await store.close();
}
parentPort?.postMessage(message);
