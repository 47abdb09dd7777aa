/**
 * How often a running job proves its runner is alive, and how long silence means it vanished.
 * A heartbeat is a commit on the data branch (four GitHub requests), so it is rare; every
 * progress write counts as one too.
 */
export interface JobTiming {
  heartbeatMs: number;
  /** A claimed job silent this long is reaped to FAILED. */
  staleAfterMs: number;
  /** A PENDING job no runner claimed this long is reaped (a dispatch that never ran). */
  pendingStaleAfterMs: number;
}

export const DEFAULT_TIMING: JobTiming = {
  heartbeatMs: 2 * 60_000,
  staleAfterMs: 15 * 60_000,
  pendingStaleAfterMs: 24 * 60 * 60_000,
};

/**
 * The timing, with KAIZEN_HEARTBEAT_SECONDS and KAIZEN_STALE_AFTER_SECONDS overriding it (tests
 * and impatient operators); the surfaces pass their environment in.
 */
export function timingFromEnv(env: NodeJS.ProcessEnv): JobTiming {
  const seconds = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value * 1000 : fallback;
  };
  return {
    heartbeatMs: seconds("KAIZEN_HEARTBEAT_SECONDS", DEFAULT_TIMING.heartbeatMs),
    staleAfterMs: seconds("KAIZEN_STALE_AFTER_SECONDS", DEFAULT_TIMING.staleAfterMs),
    pendingStaleAfterMs: DEFAULT_TIMING.pendingStaleAfterMs,
  };
}
