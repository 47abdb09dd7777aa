/**
 * The seams of a job: where it is run (a Dispatcher) and where its result goes (a Shipper).
 * GitHub and the local repository each implement both; the lifecycle in this directory only
 * ever talks to these interfaces and to the Store.
 */
import { KaizenError } from "../core/errors.js";
import type { Job } from "../core/records.js";
import type { PromptChange } from "../github/pulls.js";

/** A job and the task it belongs to (a job's path on the data branch needs both). */
export interface JobRef {
  task: string;
  job: Job;
}

export interface Dispatcher {
  /**
   * Gets a PENDING job run: a workflow_dispatch on GitHub, kaizen serve's worker locally.
   * @throws DispatchError when nothing will run it; the job is then FAILED with the reason
   */
  dispatch(ref: JobRef): Promise<void>;
}

/** No runner will pick the job up (GitHub refused the workflow_dispatch); the job is FAILED. */
export class DispatchError extends KaizenError {
  override name = "DispatchError";
  constructor(
    readonly job: Job,
    reason: string,
  ) {
    super(reason);
  }
}

/** What a shipper delivers: files for the task's branch, and the words that go with them. */
export type ShipRequest = PromptChange;

export interface Shipped {
  /** The pull request, where there is one. */
  url: string | null;
  branch: string;
  /** A person had pushed to the task's branch, so nothing was written there. */
  leftAlone: boolean;
  /** What happened, for the job's progress_step. */
  step: string;
}

export interface Shipper {
  /**
   * Delivers the change, idempotently (a re-run updates what the last one wrote).
   * @throws ShipError when the destination refused it; the job then ends PR_FAILED
   */
  ship(request: ShipRequest): Promise<Shipped>;
}

/** The destination refused the change (GitHub's reason, a git error); the job ends PR_FAILED. */
export class ShipError extends KaizenError {
  override name = "ShipError";
}
