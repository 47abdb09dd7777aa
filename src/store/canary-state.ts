/**
 * The canary's state on the data branch (`canary/<task>.json`): started for the task's newest
 * candidate, fed by feedback in the same commit that stores it, decided by the sequential test
 * (core/canary.ts) or by a person. Because it lives on the data branch, every instance of the
 * app serving the repository reads the same decision: a stop is a share of 0 everywhere.
 */
import {
  canaryView,
  CanaryState,
  decideByPerson,
  foldEntries,
  startCanary,
  type CanaryView,
  type ScoredEntry,
} from "../core/canary.js";
import { NotFoundError } from "../core/errors.js";
import type { FeedbackResult, PromptVersion } from "../core/records.js";
import type { CanaryConfig, TaskConfig } from "../core/task-config-schema.js";
import { layout } from "./layout.js";
import { versionsIn } from "./prompt-versions.js";
import type { DataTransaction, Store } from "./store.js";

/** The versions a canary compares: the newest candidate against the active one, or null. */
export function canaryArms(
  versions: readonly PromptVersion[],
): { candidate: PromptVersion; active: PromptVersion } | null {
  const newestFirst = [...versions].sort((a, b) => b.version_number - a.version_number);
  const candidate = newestFirst.find((v) => v.status === "candidate");
  const active = newestFirst.find((v) => v.status === "active");
  return candidate && active ? { candidate, active } : null;
}

/** The state for the current candidate inside a transaction: the stored one, or a fresh start. */
async function currentState(
  tx: DataTransaction,
  task: string,
  config: CanaryConfig,
  now: Date,
): Promise<CanaryState | null> {
  const arms = canaryArms(await versionsIn(tx, task));
  if (!arms) return null;
  const stored = await tx.readJson(layout.canary(task), CanaryState);
  // A state of an earlier candidate (merged, closed, or replaced by a newer job) is over.
  if (stored && stored.candidate_version_id === arms.candidate.id) return stored;
  return startCanary(task, arms.candidate.id, arms.active.id, config.share, now);
}

/**
 * Folds new feedback carrying a `prompt_version_id` and a score into the canary, deciding after
 * each entry; written in the commit that stores the feedback (Store.appendFeedback's inCommit).
 */
export async function foldFeedbackIntoCanary(
  tx: DataTransaction,
  task: string,
  fresh: readonly FeedbackResult[],
  config: CanaryConfig,
  now = new Date(),
): Promise<void> {
  const scored: ScoredEntry[] = fresh.flatMap((r) =>
    r.prompt_version_id && r.score !== null ? [{ versionId: r.prompt_version_id, score: r.score }] : [],
  );
  if (scored.length === 0) return;
  const state = await currentState(tx, task, config, now);
  if (!state) return;
  const next = foldEntries(state, scored, config, now);
  if (JSON.stringify(next) !== JSON.stringify(state) || !(await tx.read(layout.canary(task))))
    tx.writeJson(layout.canary(task), CanaryState, next);
}

/**
 * A person's decision (`kaizen canary promote|stop`), final like the test's.
 * @throws NotFoundError when the task has no candidate to decide on
 */
export async function decideCanary(
  store: Store,
  task: string,
  config: CanaryConfig,
  decision: "promote" | "stop",
  now = new Date(),
): Promise<CanaryState> {
  return store.transact(`Canary of ${task}: ${decision}`, async (tx) => {
    const state = await currentState(tx, task, config, now);
    if (!state)
      throw new NotFoundError(
        `task ${task} has no candidate version beside an active one: no canary to ${decision}`,
      );
    if (state.decision === decision) return state;
    const next = decideByPerson(state, decision, now);
    tx.writeJson(layout.canary(task), CanaryState, next);
    return next;
  });
}

/**
 * The canary's figures (`GET /api/v1/tasks/{task}/canary`, `kaizen canary status`), or null for
 * a task without `canary:`. Once the candidate was merged or activated, the last canary's
 * figures stay readable until a newer candidate starts its own.
 */
export async function readCanaryView(
  store: Store,
  config: TaskConfig,
  versions: readonly PromptVersion[],
): Promise<CanaryView | null> {
  if (!config.canary) return null;
  const arms = canaryArms(versions);
  const stored = await store.getCanary(config.name);
  const state = stored && (!arms || stored.candidate_version_id === arms.candidate.id) ? stored : null;
  return canaryView(state, config.canary, arms?.candidate.id ?? null);
}
