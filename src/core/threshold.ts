/**
 * When a task is due for optimization: enough feedback has arrived since the last one, and no
 * job of the task is already in flight (two paid jobs for one task would race each other).
 */
import { isInFlight } from "./job-state.js";
import type { Job } from "./records.js";

export interface DueCheck {
  due: boolean;
  /** `12/50`, as the seeds' `threshold_progress` shows it. */
  progress: string;
  /** Why it is not due, for logs and `kaizen status`; null when due. */
  reason: string | null;
  inFlight: Job | null;
}

/**
 * @example
 * isDue({ feedback_threshold: 50 }, 61, jobs) // { due: true, progress: "61/50", reason: null, inFlight: null }
 */
export function isDue(
  config: { feedback_threshold: number },
  feedbackSinceOptimization: number,
  jobs: readonly Job[],
): DueCheck {
  const progress = `${feedbackSinceOptimization}/${config.feedback_threshold}`;
  const inFlight = jobs.find((j) => isInFlight(j.status)) ?? null;
  if (inFlight) return { due: false, progress, reason: `job ${inFlight.id} is ${inFlight.status}`, inFlight };
  if (feedbackSinceOptimization < config.feedback_threshold) {
    return {
      due: false,
      progress,
      reason: `${config.feedback_threshold - feedbackSinceOptimization} more feedback entries needed (${progress})`,
      inFlight: null,
    };
  }
  return { due: true, progress, reason: null, inFlight: null };
}
