/**
 * An optimization job's whole life, for every surface: create (or start: create and
 * dispatch), claim, run, ship, finish, cancel, reapStale, and retryShip; `executeJob` is run,
 * ship and finish in one call. The seams are the Store, a Dispatcher and a Shipper.
 */
export { cancelJob, JobAlreadyEndedError } from "./cancel.js";
export { claimJob, type Claim, type ClaimTrigger } from "./claim.js";
export {
  assertEnoughData,
  createJob,
  JobPreconditionError,
  NotEnoughDataError,
  type CreateOutcome,
  type CreateRequest,
} from "./create.js";
export { gitHubDispatcher, kaizenWorkflow, REPO_CONFIG_PATH } from "./dispatchers.js";
export { executeJob, type Executed } from "./execute.js";
export { finishJob } from "./finish.js";
export {
  DispatchError,
  ShipError,
  type Dispatcher,
  type JobRef,
  type ShipRequest,
  type Shipped,
  type Shipper,
} from "./ports.js";
export { lastSignOfLife, reapStale, staleReason } from "./reap.js";
export { retryShip } from "./retry-pr.js";
export { failJob } from "./fail.js";
export { JobCancelledError, runJob, type RunOptions } from "./run.js";
export { shipJob, type ShipOutcome } from "./ship.js";
export { gitHubShipper, localBranchShipper } from "./shippers.js";
export { startJob } from "./start.js";
export { DEFAULT_TIMING, timingFromEnv, type JobTiming } from "./timing.js";
export { dashboardTasks, refreshDashboard } from "./dashboard.js";
export { activateMerged, activateMergedCandidates, activateVersion, currentVersions } from "./activate.js";
