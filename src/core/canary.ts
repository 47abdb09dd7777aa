/**
 * The online canary: which version a production unit is served, how the two arms' scores are
 * tallied, and when the test decides. Pure: the state is a record on the data branch
 * (`canary/<task>.json`, see store/canary-state.ts) and every function here maps a state to the
 * next one.
 *
 * The decision is made on the interval for (candidate mean − active mean) from two
 * empirical-Bernstein confidence sequences (confidence-sequence.ts), valid at every look:
 * - `stop` as soon as its upper end is below −max_loss (worse by more than max_loss);
 * - `promote` as soon as its lower end is above 0 and each arm holds min_samples entries;
 * - otherwise `collecting`. A decision is final: later entries are not folded in.
 */
import { z } from "zod";
import { addScore, difference, emptyTally, MeanTally, tallyMean } from "./confidence-sequence.js";
import { Id, Timestamp } from "./records.js";
import type { CanaryConfig } from "./task-config-schema.js";

/** The canary's error level: both arms' sequences together miss with probability ≤ 5%. */
export const CANARY_ALPHA = 0.05;
/** Each arm's sequence runs at half of it (the union bound over the two arms). */
export const ARM_ALPHA = CANARY_ALPHA / 2;

export const CANARY_DECISIONS = ["collecting", "promote", "stop"] as const;
export const CanaryDecision = z.enum(CANARY_DECISIONS);
export type CanaryDecision = z.infer<typeof CanaryDecision>;

/** The canary of one task's candidate, as stored on the data branch. */
export const CanaryState = z.object({
  task: z.string(),
  candidate_version_id: Id,
  /** The active version when the canary started: entries of any other version are not tallied. */
  active_version_id: Id,
  /** The share configured when the canary started (the share served is 0 once stopped). */
  share: z.number().min(0).max(1),
  decision: CanaryDecision.default("collecting"),
  reason: z.string().default(""),
  /** `test` when the sequential test decided, `person` for `kaizen canary promote|stop`. */
  decided_by: z.enum(["test", "person"]).nullable().default(null),
  decided_at: Timestamp.nullable().default(null),
  started_at: Timestamp,
  arms: z.object({ active: MeanTally, candidate: MeanTally }),
});
export type CanaryState = z.infer<typeof CanaryState>;

const ArmView = z.object({
  n: z.number().int().nonnegative().describe("Scored entries tallied for this arm"),
  mean: z.number().nullable().describe("Their mean score, null before any"),
});
export type ArmView = z.infer<typeof ArmView>;

/** What `GET /api/v1/tasks/{id}/canary` answers (the shape). */
export const CanaryView = z.object({
  candidate_version_id: Id.nullable().describe("The candidate under test; null without a candidate"),
  share: z.number().describe("The share of units served the candidate now (0 once stopped)"),
  arms: z.object({ active: ArmView, candidate: ArmView }),
  difference: z
    .object({
      estimate: z.number().nullable(),
      low: z.number(),
      high: z.number(),
    })
    .describe(
      "candidate − active mean, with a 95% interval valid at every look (Waudby-Smith & Ramdas empirical-Bernstein confidence sequences)",
    ),
  decision: CanaryDecision,
  reason: z.string(),
});
export type CanaryView = z.infer<typeof CanaryView>;

export function startCanary(
  task: string,
  candidateId: string,
  activeId: string,
  share: number,
  now: Date,
): CanaryState {
  return CanaryState.parse({
    task,
    candidate_version_id: candidateId,
    active_version_id: activeId,
    share,
    started_at: now.toISOString(),
    arms: { active: emptyTally(), candidate: emptyTally() },
    reason: "collecting: no scored entry yet",
  });
}

/** The share of units served the candidate now: none once the canary stopped. */
export function servedShare(state: CanaryState | null, config: CanaryConfig): number {
  return state?.decision === "stop" ? 0 : config.share;
}

/** One scored entry: the version that produced the output and its score. */
export interface ScoredEntry {
  versionId: string;
  score: number;
}

/**
 * The state with entries folded into their arms, deciding after each one, in order, so the
 * decision is the one a monitor looking after every entry would have made. Entries of other
 * versions, and every entry once decided, change nothing.
 */
export function foldEntries(
  state: CanaryState,
  entries: readonly ScoredEntry[],
  config: CanaryConfig,
  now: Date,
): CanaryState {
  let next = state;
  for (const entry of entries) {
    if (next.decision !== "collecting") break;
    const arm =
      entry.versionId === next.candidate_version_id
        ? "candidate"
        : entry.versionId === next.active_version_id
          ? "active"
          : null;
    if (arm === null) continue;
    const arms = { ...next.arms, [arm]: addScore(next.arms[arm], entry.score, ARM_ALPHA) };
    next = { ...next, arms, ...judge(arms, config, now) };
  }
  return next;
}

/** The test's verdict on the arms as they stand. */
export function judge(
  arms: CanaryState["arms"],
  config: CanaryConfig,
  now: Date,
): Pick<CanaryState, "decision" | "reason" | "decided_by" | "decided_at"> {
  const d = difference(arms.active, arms.candidate);
  const interval = `the difference (candidate − active) lies in [${signed(d.low)}, ${signed(d.high)}] with 95% confidence, valid at every look`;
  if (d.high < -config.max_loss)
    return {
      decision: "stop",
      reason: `the candidate is worse by more than max_loss ${config.max_loss}: ${interval}`,
      decided_by: "test",
      decided_at: now.toISOString(),
    };
  const enough = arms.active.n >= config.min_samples && arms.candidate.n >= config.min_samples;
  if (d.low > 0 && enough)
    return {
      decision: "promote",
      reason: `the candidate is better, with ${arms.candidate.n} and ${arms.active.n} entries (min_samples ${config.min_samples}): ${interval}`,
      decided_by: "test",
      decided_at: now.toISOString(),
    };
  const better = d.low > 0 ? "; better already, waiting for min_samples" : "";
  return {
    decision: "collecting",
    reason: `collecting: ${arms.candidate.n} scored entries on the candidate and ${arms.active.n} on the active version (min_samples ${config.min_samples}); ${interval}${better}`,
    decided_by: null,
    decided_at: null,
  };
}

/** A decision made by a person (`kaizen canary promote|stop`); final like the test's. */
export function decideByPerson(state: CanaryState, decision: "promote" | "stop", now: Date): CanaryState {
  return {
    ...state,
    decision,
    reason: `${decision === "stop" ? "stopped" : "promoted"} by a person (kaizen canary ${decision}), with ${state.arms.candidate.n} entries on the candidate and ${state.arms.active.n} on the active version`,
    decided_by: "person",
    decided_at: now.toISOString(),
  };
}

export function canaryView(
  state: CanaryState | null,
  config: CanaryConfig,
  candidateId: string | null,
): CanaryView {
  const arms = state?.arms ?? { active: emptyTally(), candidate: emptyTally() };
  const arm = (t: MeanTally): ArmView => ({ n: t.n, mean: tallyMean(t) });
  return {
    candidate_version_id: state?.candidate_version_id ?? candidateId,
    share:
      candidateId === null || candidateId !== (state?.candidate_version_id ?? candidateId)
        ? 0
        : servedShare(state, config),
    arms: { active: arm(arms.active), candidate: arm(arms.candidate) },
    difference: difference(arms.active, arms.candidate),
    decision: state?.decision ?? "collecting",
    reason:
      state?.reason ??
      (candidateId === null ? "no candidate version: nothing to compare" : "collecting: no scored entry yet"),
  };
}

/** `+0.042` / `−0.130`, for reasons and reports. */
export function signed(value: number): string {
  const text = Math.abs(value).toFixed(3);
  return value < 0 ? `−${text}` : `+${text}`;
}
