import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  isInFlight
} from "./chunk-ZA56Q3X5.js";

// src/core/threshold.ts
function isDue(config, feedbackSinceOptimization, jobs) {
  const progress = `${feedbackSinceOptimization}/${config.feedback_threshold}`;
  const inFlight = jobs.find((j) => isInFlight(j.status)) ?? null;
  if (inFlight) return { due: false, progress, reason: `job ${inFlight.id} is ${inFlight.status}`, inFlight };
  if (feedbackSinceOptimization < config.feedback_threshold) {
    return {
      due: false,
      progress,
      reason: `${config.feedback_threshold - feedbackSinceOptimization} more feedback entries needed (${progress})`,
      inFlight: null
    };
  }
  return { due: true, progress, reason: null, inFlight: null };
}

export {
  isDue
};
