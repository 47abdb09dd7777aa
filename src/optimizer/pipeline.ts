/**
 * The optimization itself, from logged feedback to a proven candidate (or an honest "no"):
 * load the task, the prompt and the feedback and estimate the cost; measure the evaluator
 * against people's scores and search; test the finalists on held-out data.
 *
 * A pure pipeline: it writes nothing. It never knows whether a job, the CLI or a benchmark runs
 * it; `onStage` lets the caller record progress, and the caller stores the result (src/jobs).
 */
import { modelsOf } from "../core/defaults.js";
import { ConfigError, KaizenError } from "../core/errors.js";
import type { PriceTable } from "../core/prices.js";
import { taskNameFromPath } from "../core/task-config.js";
import { Random } from "../core/random.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { DEMO_SECTION_ROOM_CHARS } from "../render/demos.js";
import { detectPromptFormat, readPrompt, writePrompt } from "../render/index.js";
import type { Store } from "../store/store.js";
import { loadTasks } from "../store/tasks.js";
import { measureAgreement } from "./agreement.js";
import { Budget } from "./budget.js";
import { loadExamples, MIN_USABLE, type Example } from "./dataset.js";
import { DEFAULT_PLAN, estimateRun, fitToBudget, splitSizes, tokenMeans, type Estimate } from "./estimate.js";
import { buildEvaluator, describeEvaluator, judgeRubric, usesJudge } from "./evaluators/index.js";
import { runGate, TOP_K } from "./gate.js";
import {
  evaluatorVerdict,
  loggedEvidence,
  pricesForRun,
  refuseUnpriced,
  refuseUnreadableJudge,
} from "./preflight.js";
import { ResponseCache } from "./llm/cache.js";
import { OpenAIGateway } from "./llm/gateway.js";
import { countMessageTokens, countTokens } from "./llm/tokens.js";
import { renderReport, type ReportFooter, type ReportInput } from "../render/report/index.js";
import { DEFAULT_LIMITS, type SearchLimits } from "./limits.js";
import { searchPrompt, studentMessages } from "./search.js";
import { costUsd } from "../core/prices.js";

export interface OptimizeOptions {
  store: Store;
  task: string;
  /** The search's seed: the same seed on the same data replays the same run from the cache. */
  seed: string;
  endpoint: { apiKey: string; baseURL?: string };
  /** Where LLM answers persist between runs; null for memory only. */
  cacheDir: string | null;
  /** A hard cap below the task's cost_budget (the Action's max-cost-usd). */
  maxCostUsd?: number | null;
  models?: Partial<{ teacher: string; judge: string; student: string }>;
  concurrency?: number;
  /** Attempts per model call and the backoff base (ms) on 5xx. */
  retry?: { maxAttempts: number; backoffMs: number };
  limits?: SearchLimits;
  onProgress?: (event: { step: string; fraction: number; spentUsd: number }) => void;
  /** Hears each long stage as it starts; whoever records progress (a job) writes it down. */
  onStage?: (stage: Stage, step: string, metadata?: Record<string, unknown>) => Promise<void>;
  /** Stops the run at its next step (Ctrl-C, a cancelled job). */
  signal?: AbortSignal;
  /** The job and the CI run, for the report's footer. */
  footer?: ReportFooter;
}

/** The long stages after loading: scoring and searching, then the held-out test. */
export type Stage = "evaluating" | "testing";

export interface OptimizeResult {
  /** better: a candidate proven on held-out data; otherwise there is nothing to ship. */
  verdict: "better" | "no-improvement" | "skipped";
  /** One line for people: what the run concluded. */
  step: string;
  report: string;
  metadata: Record<string, unknown>;
  /** Every proposal of the search, one JSON object a line; null when no search ran. */
  ledger: string | null;
  candidate: {
    template: string;
    score: number;
    /** The prompt file (`prompt_path`), with the candidate written in the task's prompt_format. */
    path: string;
    fileText: string;
    /** The template the search started from (the prompt file's). */
    baseline: string;
    /** The task's github_base_branch; null for the default branch. */
    baseBranch: string | null;
  } | null;
}

/** Loads what a job needs from the repository, or says what is wrong with it. */
export async function loadTaskForJob(
  store: Store,
  task: string,
): Promise<{
  config: TaskConfig;
  fileText: string;
  template: string;
  format: NonNullable<TaskConfig["prompt_format"]>;
}> {
  const { tasks, broken } = await loadTasks(store);
  const config = tasks.find((t) => t.name === task);
  const brokenFile = broken.find((b) => taskNameFromPath(b.path) === task);
  if (!config && brokenFile) throw new ConfigError(brokenFile.issues.filter((i) => i.severity === "error"));
  if (!config)
    throw new KaizenError(
      `task ${task} not found (or its file has errors): check .kaizen/tasks/${task}.yml with \`kaizen validate\``,
    );
  if (!config.prompt_path)
    throw new KaizenError(`task ${task} has no prompt_path: set it to the file that holds the prompt`);
  const fileText = await store.readRepoFile(config.prompt_path);
  if (fileText === null)
    throw new KaizenError(
      `the prompt file ${config.prompt_path} of task ${task} does not exist on the default branch`,
    );
  const format = config.prompt_format ?? detectPromptFormat(config.prompt_path, fileText);
  return { config, fileText, template: readPrompt(fileText, format), format };
}

/** The plan and its cost, from the task's real data, before any model call. */
export async function planJob(
  store: Store,
  task: string,
  options: Pick<OptimizeOptions, "maxCostUsd" | "models"> & { seed: string; baseURL?: string },
) {
  const loaded = await loadTaskForJob(store, task);
  const data = await loadExamples(store.readFeedback(task), new Random(options.seed));
  const models = { ...modelsOf(loaded.config), ...options.models };
  const { prices, unknown, notes: priceNotes } = pricesForRun(loaded.config, models, options.baseURL);
  const evaluatorName = describeEvaluator(loaded.config);
  const plan = { ...DEFAULT_PLAN, usesJudge: usesJudge(loaded.config) };
  const examples = data.enough ? data.examples : [];
  const tokens = tokenMeans(loaded.template, examples, {
    description: loaded.config.description,
    rubric: judgeRubric(loaded.config),
  });
  const limit = [loaded.config.cost_budget, options.maxCostUsd ?? null].filter(
    (x): x is number => x !== null,
  );
  const budgetUsd = limit.length ? Math.min(...limit) : null;
  const sizes = splitSizes(examples.length);
  const estimate = data.enough
    ? fitToBudget(sizes, tokens, models, prices, budgetUsd, plan)
    : estimateRun(sizes, tokens, models, prices, plan);
  return {
    ...loaded,
    data,
    models,
    prices,
    unpriced: unknown,
    priceNotes,
    evaluatorName,
    budgetUsd,
    estimate,
  };
}

export async function optimizePrompt(options: OptimizeOptions): Promise<OptimizeResult> {
  const { store } = options;
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

  progress("loading the task and its feedback", 0);
  const plan = await planJob(store, options.task, {
    seed,
    maxCostUsd: options.maxCostUsd,
    models: options.models,
    ...(options.endpoint.baseURL ? { baseURL: options.endpoint.baseURL } : {}),
  });
  refuseUnpriced(plan.unpriced);
  const footer = options.footer ?? { jobId: null };
  const history = await store.listPromptVersions(options.task);
  if (!plan.data.enough) {
    return {
      verdict: "skipped",
      step: `Not enough data: ${plan.data.message}`,
      report: renderReport({
        task: options.task,
        kind: "optimize",
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
        history,
        notEnoughData: { usable: plan.data.usable, needed: MIN_USABLE, total: plan.data.total },
        footer,
      }),
      metadata: { usable_feedback: plan.data.usable, feedback_entries: plan.data.total },
      ledger: null,
      candidate: null,
    };
  }
  const { config, template, models, prices, estimate, data } = plan;
  const { split } = data;
  budget = new Budget(plan.budgetUsd);
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
  budget.setFloor(
    testPhaseWorstCase(template, split.test, models, prices, config.module_type, estimate.plan.usesJudge),
  );

  await stage("evaluating", "Measuring the evaluator against people's scores, then searching", {
    estimate_usd: estimate.usd,
    planned_calls: estimate.calls,
  });
  const rng = new Random(seed);
  const evaluator = buildEvaluator(config, gateway, models.judge, split.train);
  const agreement = await measureAgreement(
    evaluator,
    [...split.val, ...split.test],
    rng.fork("retest").sample(split.val, 10),
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
    actual_usd: budget!.snapshot().spentUsd,
    llm_calls: gateway.stats.calls,
    llm_retries: gateway.stats.retries,
    cached_calls: gateway.stats.cacheHits,
    duration_seconds: (Date.now() - started) / 1000,
    evaluator: plan.evaluatorName,
    overrun_usd: budget!.snapshot().overrunUsd,
    agreement: {
      spearman: agreement.spearman.value,
      mae: agreement.mae,
      noise: agreement.noise,
      n: agreement.n,
    },
  });
  const report = (note: string | null, search: ReportInput["search"], gate: ReportInput["gate"]) =>
    renderReport({
      task: options.task,
      kind: "optimize",
      seedTemplate: template,
      evaluator: { name: plan.evaluatorName, usesJudge: evaluator.usesJudge },
      agreement,
      search,
      gate,
      estimate,
      spent: budget!.snapshot(),
      calls: { made: gateway.stats.calls, cached: gateway.stats.cacheHits },
      durationSeconds: (Date.now() - started) / 1000,
      test: split.test,
      sizes: { train: split.train.length, val: split.val.length, test: split.test.length },
      history,
      footer,
      note,
    });

  const unfit = evaluatorVerdict(agreement);
  if (unfit) {
    const verdict = unfit;
    return {
      verdict: "skipped",
      step: "Stopped: the evaluator disagrees with people's scores",
      report: report(verdict, null, null),
      metadata: metadataBase(),
      ledger: null,
      candidate: null,
    };
  }

  const limits = options.limits ?? { ...DEFAULT_LIMITS, iterations: estimate.plan.iterations };
  const search = await searchPrompt({
    template,
    split,
    loggedScores: await loggedEvidence(evaluator, split.train, estimate.plan.critiquedTrain),
    evaluator,
    gateway,
    rng,
    models,
    moduleType: config.module_type,
    description: config.description,
    noise: agreement.noise,
    limits,
    format: plan.format,
    spent: () => budget!.snapshot().spentUsd,
    onProgress: (message, fraction) => progress(message, 0.15 + fraction * 0.65),
  });

  await stage("testing", `Testing ${Math.min(TOP_K, search.finalists.length)} finalist(s) on held-out data`);
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
      report: report(null, search, gate),
      metadata: { ...metadataBase(), ...searched },
      ledger: ledgerText,
      candidate: null,
    };
  }

  const winner = gate.winner;
  const verdict = null;
  progress("done: a better prompt", 1);
  return {
    verdict: "better",
    step: "Candidate ready",
    report: report(verdict, search, gate),
    metadata: {
      ...metadataBase(),
      ...searched,
      baseline_score: gate.seed.mean.mean,
      best_score: winner.mean.mean,
      gain: winner.gain,
    },
    ledger: ledgerText,
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

/** The most a quoted examples section adds to a prompt, in tokens (about 3 characters a token). */
const DEMO_ROOM_TOKENS = Math.ceil(DEMO_SECTION_ROOM_CHARS / 3);

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * The final test's worst case: (k + 1) prompts × test examples × (student + judge), with room for
 * longer candidates and for a full set of quoted examples.
 */
export function testPhaseWorstCase(
  template: string,
  test: readonly Example[],
  models: { student: string; judge: string },
  prices: PriceTable,
  moduleType: TaskConfig["module_type"],
  judged = true,
): number {
  let perPrompt = 0;
  for (const e of test) {
    const input = countMessageTokens(studentMessages(template, e, moduleType));
    perPrompt += costUsd(models.student, { input: input * 1.5 + DEMO_ROOM_TOKENS, output: 800 }, prices);
    if (judged)
      perPrompt += costUsd(
        models.judge,
        { input: input + countTokens(e.output) + 1_500, output: 200 },
        prices,
      );
  }
  return perPrompt * (TOP_K + 1);
}

export type { Estimate };
