/**
 * The optimization itself, from a planned run (src/jobs/plan.ts: the task, its data and the
 * RunPlan) to a proven candidate (or an honest "no"): measure the evaluator against people's
 * scores and search; test the finalists on held-out data.
 *
 * A pure pipeline: it writes nothing. It never knows whether a job, the CLI or a benchmark runs
 * it; `onStage` lets the caller record progress, and the caller stores the result (src/jobs).
 */
import type { TaskConfig } from "../core/task-config-schema.js";
import { Random } from "../core/random.js";
import { writePrompt } from "../render/index.js";
import { measureAgreement } from "./agreement.js";
import { Budget } from "./budget.js";
import { MIN_USABLE, type LoadedData } from "./dataset.js";
import { BudgetTooSmallError } from "./estimate.js";
import { buildEvaluator } from "./evaluators/index.js";
import { runGate, runOnTest } from "./gate.js";
import { evaluatorVerdict, loggedEvidence, refuseUnpriced, refuseUnreadableJudge } from "./preflight.js";
import { ResponseCache } from "./llm/cache.js";
import { OpenAIGateway } from "./llm/gateway.js";
import { lineageOf } from "./lineage.js";
import type { Outcome, RunEvidence } from "./outcome.js";
import { loadTokenizer } from "./llm/tokens.js";
import { callCost, type ProductionCost } from "./production-cost.js";
import type { RunPlan } from "./run-plan.js";
import { searchPrompt } from "./search.js";

/** A task ready to run: its file, its prompt, its data and the plan made from them (src/jobs/plan.ts). */
export interface PlannedRun {
  task: string;
  config: TaskConfig;
  /** The prompt file's text on the default branch. */
  fileText: string;
  /** The prompt the search starts from (the file's, read in its format). */
  template: string;
  format: NonNullable<TaskConfig["prompt_format"]>;
  data: LoadedData;
  evaluatorName: string;
  /** A line per model: its price and where it came from. */
  priceNotes: string[];
  plan: RunPlan;
}

export interface OptimizeOptions {
  /** The search's seed: the same seed on the same data replays the same run from the cache. */
  seed: string;
  endpoint: { apiKey: string; baseURL?: string };
  /** Where LLM answers persist between runs; null for memory only. */
  cacheDir: string | null;
  concurrency?: number;
  /** Attempts per model call and the backoff base (ms) on 5xx and network errors. */
  retry?: { maxAttempts?: number; backoffMs?: number };
  onProgress?: (event: { step: string; fraction: number; spentUsd: number }) => void;
  /** Hears each long stage as it starts; whoever records progress (a job) writes it down. */
  onStage?: (stage: Stage, step: string, metadata?: Record<string, unknown>) => Promise<void>;
  /** Stops the run at its next step (Ctrl-C, a cancelled job). */
  signal?: AbortSignal;
  /**
   * The candidate already waiting for review on `kaizen/<task>`, if any: a winner is compared
   * with it on this run's held-out data, so that a run never replaces it with a worse one.
   */
  openCandidate?: { version: number; template: string } | null;
}

/** The long stages after loading: scoring and searching, then the held-out test. */
export type Stage = "evaluating" | "testing";

export async function optimizePrompt(planned: PlannedRun, options: OptimizeOptions): Promise<Outcome> {
  // A plan made elsewhere (a test's, a dry run's) still leaves the tokenizer to load here.
  await loadTokenizer();
  const started = Date.now();
  const seed = options.seed;
  let budget: Budget | null = null;
  const progress = (text: string, fraction: number) => {
    options.signal?.throwIfAborted();
    options.onProgress?.({ step: text, fraction, spentUsd: budget?.snapshot().spentUsd ?? 0 });
  };
  const stage = async (name: Stage, step: string, metadata?: Record<string, unknown>) => {
    options.signal?.throwIfAborted();
    await options.onStage?.(name, step, metadata);
  };

  const plan = planned;
  refuseUnpriced(plan.plan.unpriced);
  const task = planned.task;
  if (!plan.data.enough) {
    return {
      verdict: "skipped",
      step: `Not enough data: ${plan.data.message}`,
      evidence: {
        task,
        seedTemplate: plan.template,
        evaluator: { name: plan.evaluatorName, usesJudge: false },
        agreement: null,
        search: null,
        gate: null,
        estimate: null,
        spent: null,
        calls: { made: 0, cached: 0 },
        durationSeconds: (Date.now() - started) / 1000,
        test: [],
        sizes: { train: 0, val: 0, test: 0 },
        notEnoughData: { usable: plan.data.usable, needed: MIN_USABLE, total: plan.data.total },
      },
      metadata: { usable_feedback: plan.data.usable, feedback_entries: plan.data.total },
      ledger: null,
      candidate: null,
    };
  }
  if (plan.plan.tooSmall) throw new BudgetTooSmallError(plan.plan.tooSmall);
  const { config, template, data } = plan;
  const { models, prices, estimate, knobs } = plan.plan;
  const { split } = data;
  budget = new Budget(plan.plan.budgetUsd);
  const cache = new ResponseCache(options.cacheDir);
  const gateway = new OpenAIGateway({
    ...options.endpoint,
    prices,
    budget,
    cache,
    concurrency: options.concurrency ?? 8,
    ...options.retry,
  });
  // The final test must always be affordable: its worst case is set aside from the start.
  budget.setFloor(plan.plan.testFloorUsd);

  await stage("evaluating", "Measuring the evaluator against people's scores, then searching", {
    estimate_usd: estimate.usd,
    planned_calls: estimate.calls,
  });
  const rng = new Random(seed);
  const evaluator = buildEvaluator(config, gateway, models.judge, split.train);
  const agreement = await measureAgreement(
    evaluator,
    [...split.val, ...split.test],
    rng.fork("retest").sample(split.val, knobs.rejudgeSample),
  );
  refuseUnreadableJudge(evaluator, models.judge);
  progress("the evaluator is calibrated", 0.15);
  const metadataBase = () => ({
    seed,
    models,
    train_size: split.train.length,
    val_size: split.val.length,
    test_size: split.test.length,
    estimate_usd: estimate.usd,
    actual_usd: budget.snapshot().spentUsd,
    llm_calls: gateway.stats.calls,
    llm_retries: gateway.stats.retries,
    cached_calls: gateway.stats.cacheHits,
    duration_seconds: (Date.now() - started) / 1000,
    evaluator: plan.evaluatorName,
    overrun_usd: budget.snapshot().overrunUsd,
    agreement: {
      spearman: agreement.spearman.value,
      mae: agreement.mae,
      noise: agreement.noise,
      n: agreement.n,
    },
  });
  const evidence = (
    note: string | null,
    search: RunEvidence["search"],
    gate: RunEvidence["gate"],
  ): RunEvidence => ({
    task,
    seedTemplate: template,
    evaluator: { name: plan.evaluatorName, usesJudge: evaluator.usesJudge },
    agreement,
    search,
    gate,
    estimate,
    spent: budget.snapshot(),
    calls: {
      made: gateway.stats.calls,
      cached: gateway.stats.cacheHits,
      usageCounted: gateway.stats.usageMissing,
    },
    durationSeconds: (Date.now() - started) / 1000,
    test: split.test,
    sizes: { train: split.train.length, val: split.val.length, test: split.test.length },
    note,
    production: gate ? productionCostOf(gate) : null,
    lineage: search && gate?.winner ? lineageOf(search.candidates, gate.winner.candidate, split.val) : [],
  });
  // The shown candidate (the winner, else the best tested) against the active prompt, per call.
  const productionCostOf = (gate: NonNullable<RunEvidence["gate"]>): ProductionCost | null => {
    const shown = gate.winner ?? [...gate.results].sort((a, b) => b.gain.mean - a.gain.mean)[0];
    if (!shown) return null;
    const cost = (t: string, outputs: ReadonlyMap<string, string>) =>
      callCost(t, split.test, outputs, config.module_type, models.student, prices);
    return {
      model: models.student,
      before: cost(template, gate.seed.outputs),
      after: cost(shown.candidate.template, shown.outputs),
    };
  };

  const unfit = evaluatorVerdict(agreement);
  if (unfit) {
    const verdict = unfit;
    return {
      verdict: "skipped",
      step: "Stopped: the evaluator disagrees with people's scores",
      evidence: evidence(verdict, null, null),
      metadata: metadataBase(),
      ledger: null,
      candidate: null,
    };
  }

  const search = await searchPrompt({
    template,
    split,
    loggedScores: await loggedEvidence(evaluator, split.train, knobs.critiquedTrain),
    evaluator,
    gateway,
    rng,
    models,
    moduleType: config.module_type,
    description: config.description,
    noise: agreement.noise,
    knobs,
    stopAtUsd: plan.plan.searchStopUsd,
    format: plan.format,
    spent: () => budget.snapshot().spentUsd,
    onProgress: (message, fraction) => progress(message, 0.15 + fraction * 0.65),
  });

  await stage(
    "testing",
    `Testing ${Math.min(knobs.topK, search.finalists.length)} finalist(s) on held-out data`,
  );
  progress("testing the finalists on held-out data", 0.85);
  gateway.spendFloor = true;
  const gate =
    search.finalists.length > 0
      ? await runGate({
          gateway,
          evaluator,
          models,
          moduleType: config.module_type,
          seedCandidate: search.candidates[0]!,
          finalists: search.finalists,
          topK: knobs.topK,
          noise: agreement.noise,
          test: split.test,
          seed,
        })
      : null;
  const ledger = search.candidates.map((c) => ({
    id: c.id,
    parent: c.parent,
    status: c.status,
    reason: c.reason,
    rationale: c.rationale,
    cost_usd: Number(c.costUsd.toFixed(6)),
    val_mean: mean(
      split.val.map((e) => c.scores.get(e.id)?.score).filter((x): x is number => x !== undefined),
    ),
    template: c.template,
    demos: (c.demos ?? []).map((d) => d.id),
  }));
  const ledgerText = `${ledger.map((l) => JSON.stringify(l)).join("\n")}\n`;
  const searched = { stopped_by: search.stoppedBy, trials: search.candidates.length - 1 };

  if (!gate?.winner) {
    progress("done: no significant improvement", 1);
    return {
      verdict: "no-improvement",
      step: "No significant improvement",
      evidence: evidence(null, search, gate),
      metadata: { ...metadataBase(), ...searched },
      ledger: ledgerText,
      candidate: null,
    };
  }

  const winner = gate.winner;
  // The candidate waiting for review, scored on the same held-out examples as the winner.
  const open = options.openCandidate;
  const openCandidate =
    open && open.template !== winner.candidate.template
      ? {
          version: open.version,
          score: mean(
            [
              ...(
                await runOnTest(
                  { gateway, evaluator, models, moduleType: config.module_type, test: split.test },
                  open.template,
                )
              ).scores.values(),
            ].map((e) => e.score),
          ),
        }
      : null;
  progress("done: a better prompt", 1);
  return {
    verdict: "better",
    step: "Candidate ready",
    evidence: evidence(null, search, gate),
    metadata: {
      ...metadataBase(),
      ...searched,
      baseline_score: gate.seed.mean.mean,
      best_score: winner.mean.mean,
      gain: winner.gain,
    },
    ledger: ledgerText,
    openCandidate,
    candidate: {
      template: winner.candidate.template,
      score: winner.mean.mean,
      path: config.prompt_path!,
      fileText: writePrompt(plan.fileText, plan.format, winner.candidate.template),
      baseline: template,
      baseBranch: config.github_base_branch ?? null,
    },
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export type { Estimate } from "./estimate.js";
export type { Outcome, RunEvidence } from "./outcome.js";
