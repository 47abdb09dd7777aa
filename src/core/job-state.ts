/**
 * The life of an optimization job. Only the moves below are legal; anything else is a bug
 * or a race, and is refused with an error that names both states.
 *
 *   PENDING → RUNNING → EVALUATING → COMPILING → SUCCESS | FAILED | PR_FAILED
 *
 * A job may end early: SUCCESS from EVALUATING (no significant improvement), FAILED from any
 * state that is not final (a run that could not do its work, too little data or a judge that
 * disagrees with people, is FAILED with the reason). `retry-pr` moves PR_FAILED to SUCCESS.
 */
import { IllegalTransitionError } from "./errors.js";
import type { Job, JobStatus } from "./records.js";

const NEXT: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  PENDING: ["RUNNING", "FAILED"],
  RUNNING: ["EVALUATING", "SUCCESS", "FAILED"],
  EVALUATING: ["COMPILING", "SUCCESS", "FAILED"],
  COMPILING: ["SUCCESS", "FAILED", "PR_FAILED"],
  PR_FAILED: ["SUCCESS", "PR_FAILED"],
  SUCCESS: [],
  FAILED: [],
};

export const TERMINAL_STATUSES: readonly JobStatus[] = ["SUCCESS", "FAILED"];
/** A job in one of these states blocks another job of the same task from starting. */
export const IN_FLIGHT_STATUSES: readonly JobStatus[] = ["PENDING", "RUNNING", "EVALUATING", "COMPILING"];

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

export function isInFlight(status: JobStatus): boolean {
  return IN_FLIGHT_STATUSES.includes(status);
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * The job moved to `to`, with the timestamps that move implies.
 * @throws IllegalTransitionError when the state machine does not allow the move.
 */
export function transition(
  job: Job,
  to: JobStatus,
  changes: Partial<Omit<Job, "status">> = {},
  now = new Date(),
): Job {
  if (!canTransition(job.status, to)) throw new IllegalTransitionError(job.status, to);
  const at = now.toISOString();
  return {
    ...job,
    ...changes,
    status: to,
    started_at: job.started_at ?? (to === "RUNNING" ? at : null),
    completed_at: isTerminal(to) || to === "PR_FAILED" ? at : null,
  };
}
