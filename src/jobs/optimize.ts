/**
 * A task optimized now: planned from the repository (plan.ts), run by the optimizer, and its
 * outcome rendered as the report people read. The job's run calls it; so do tests and tools
 * that optimize a task without a job record.
 */
import type { Knobs } from "../optimizer/knobs.js";
import {
  optimizePrompt,
  type OptimizeOptions,
  type Outcome,
  type PlannedRun,
} from "../optimizer/pipeline.js";
import { renderReport, type ReportFooter } from "../report/index.js";
import type { Store } from "../store/store.js";
import { planRun, type PlanOptions } from "./plan.js";

/** A run's outcome with its report (Markdown), which the job stores and the shipper posts. */
export type OptimizeResult = Outcome & {
  report: string;
  /** What was decided after the report was rendered (the open candidate kept or replaced), in plain text. */
  notes?: string[];
};

export type OptimizeTaskOptions = OptimizeOptions &
  Pick<PlanOptions, "maxCostUsd" | "models"> & {
    /** The run's shape where it differs from the defaults (tests: a smaller search). */
    knobs?: Partial<Knobs>;
    /** Told the plan once it is made, before any model is called (a console's "started" line). */
    onPlanned?: (planned: PlannedRun) => void;
    /** The job and the CI run, for the report's footer. */
    footer?: ReportFooter;
  };

export async function optimizeTask(
  store: Store,
  task: string,
  options: OptimizeTaskOptions,
): Promise<OptimizeResult> {
  options.onProgress?.({ step: "loading the task and its feedback", fraction: 0, spentUsd: 0 });
  const planned = await planRun(store, task, {
    seed: options.seed,
    maxCostUsd: options.maxCostUsd ?? null,
    ...(options.models ? { models: options.models } : {}),
    ...(options.endpoint.baseURL ? { baseURL: options.endpoint.baseURL } : {}),
    ...(options.knobs ? { knobs: options.knobs } : {}),
  });
  options.onPlanned?.(planned);
  const history = await store.listPromptVersions(task);
  // Versions are newest first: the newest candidate is the one on kaizen/<task>.
  const open = history.find((v) => v.status === "candidate" && v.prompt_text !== null);
  const outcome = await optimizePrompt(planned, {
    ...options,
    openCandidate: open ? { version: open.version_number, template: open.prompt_text! } : null,
  });
  return {
    ...outcome,
    report: renderReport({
      kind: "optimize",
      ...outcome.evidence,
      history,
      footer: options.footer ?? { jobId: null },
    }),
  };
}
