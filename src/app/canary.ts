/**
 * The canary as the API serves it: which version a unit gets, the header that lets an SDK make
 * the same choice for every other unit from its cache, and the figures of `GET .../canary`.
 */
import { servedShare } from "../core/canary.js";
import { formatCanaryHeader, servesCandidate } from "../core/canary-split.js";
import type { PromptVersion } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { canaryArms } from "../store/canary-state.js";
import type { Store } from "../store/store.js";

export interface Serving {
  version: PromptVersion;
  /** The header's value, or null when no canary runs (every unit gets the active version). */
  canary: string | null;
}

/**
 * The version for `unit` (null: no unit, the active version as before the canary). Serving never
 * waits on the canary: a state that cannot be read serves the active version.
 */
export async function serveVersion(
  store: Store,
  config: TaskConfig,
  versions: readonly PromptVersion[],
  active: PromptVersion,
  unit: string | null,
): Promise<Serving> {
  const arms = config.canary ? canaryArms(versions) : null;
  if (!config.canary || !arms || arms.active.id !== active.id) return { version: active, canary: null };
  let share: number;
  try {
    const state = await store.getCanary(config.name);
    share =
      state && state.candidate_version_id === arms.candidate.id
        ? servedShare(state, config.canary)
        : config.canary.share;
  } catch {
    return { version: active, canary: null };
  }
  const canary = formatCanaryHeader({ candidate: arms.candidate.id, active: active.id, share });
  const toCandidate = unit !== null && (await servesCandidate(unit, arms.candidate.id, share));
  return { version: toCandidate ? arms.candidate : active, canary };
}
