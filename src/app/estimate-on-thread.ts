/**
 * The server's side of the estimate's thread (estimate-thread.ts): starts it, turns its one
 * message back into the answer or the same HttpError. Apart from estimate.ts, which the thread
 * itself runs, so that neither side imports the other.
 */
import { Worker } from "node:worker_threads";
import { KaizenError } from "../core/errors.js";
import { HttpError } from "./api/http.js";
import type { Estimator } from "./estimate.js";
import type { EstimateThreadInput, EstimateThreadMessage } from "./estimate-thread.js";
import { threadModule } from "./thread-module.js";

const estimateThread = threadModule("estimate-thread");

/**
 * kaizen serve's estimates, each on a thread of its own (estimate-thread.ts): the server's event
 * loop neither reads the task's feedback for it nor builds the tokenizer's tables, and the
 * thread's memory is returned when it ends. A refusal comes back as the same HttpError.
 */
export function estimateOnThread(repoDir: string): Estimator {
  return async (task) => {
    const input: EstimateThreadInput = { repoDir, task };
    const thread = new Worker(estimateThread.url, { workerData: input, execArgv: estimateThread.execArgv });
    const answer = new Promise<EstimateThreadMessage>((resolve, reject) => {
      thread.once("message", resolve);
      thread.once("error", reject);
      thread.once("exit", (code) =>
        reject(new KaizenError(`the estimate's thread exited with code ${code}`)),
      );
    });
    try {
      const message = await answer;
      if ("estimate" in message) return message.estimate;
      if ("refused" in message)
        throw new HttpError(message.refused.status, message.refused.detail, message.refused.headers);
      throw new KaizenError(`the cost estimate of task ${task.name} failed: ${message.failed}`);
    } finally {
      await thread.terminate();
    }
  };
}
