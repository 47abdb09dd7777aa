/**
 * A person's own edit of a prompt, judged before it is merged: the edited text against the
 * active prompt (the file on the default branch) on the task's held-out logged feedback, with the
 * optimizer's evaluator, its paired test and its report. Called by `kaizen eval` and by the
 * Action on a pull request; it writes nothing to the store.
 */
import { KaizenError } from "../core/errors.js";
import { Random } from "../core/random.js";
import { measureAgreement } from "../optimizer/agreement.js";
import { Budget } from "../optimizer/budget.js";
import { buildEvaluator } from "../optimizer/evaluators/index.js";
import { runGate } from "../optimizer/gate.js";
import { ResponseCache } from "../optimizer/llm/cache.js";
import { OpenAIGateway } from "../optimizer/llm/gateway.js";
import { testPhaseWorstCase } from "../optimizer/run-plan.js";
import { planRun } from "./plan.js";
import type { Candidate } from "../optimizer/search.js";
import { MIN_USABLE } from "../optimizer/dataset.js";
import { readPrompt } from "../render/index.js";
import { evaluatorName, renderReport, type ReportFooter, type ReportInput } from "../report/index.js";
import type { Store } from "../store/store.js";

export interface EvaluateOptions {
  store: Store;
  task: string;
  /** The edited prompt file, as it stands in the working tree or the pull request. */
  fileText: string;
  endpoint: { apiKey: string; baseURL?: string };
  cacheDir: string | null;
  maxCostUsd?: number | null;
  models?: Partial<{ teacher: string; judge: string; student: string }>;
  /** The split's seed: the same seed gives the same held-out examples. */
  seed?: string;
  footer?: ReportFooter;
}

export interface EvaluationPlan {
  /** The most the evaluation can cost (US dollars): both prompts on every held-out example, judged. */
  worstCaseUsd: number;
  budgetUsd: number | null;
  heldOut: number;
  /** Why nothing would be measured, or null. */
  skip: string | null;
}

export interface EvaluationOutcome {
  /** The report in Markdown (the check run's, `kaizen eval --report`'s). */
  report: string;
  /** What it was rendered from, for a terminal's text; null when nothing was measured (the same prompt). */
  input: ReportInput | null;
  /** "better" only beyond noise; "worse" only beyond noise; otherwise "unclear". */
  verdict: "better" | "worse" | "unclear" | "unchanged" | "not-enough-data";
  spentUsd: number;
}

const SEED = "kaizen-eval";
const RETEST = 6;

/** What planning needs: `baseURL` is the model endpoint's, so prices resolve as optimize's do (a local server is $0). */
type PlanInput = Pick<EvaluateOptions, "store" | "task" | "fileText" | "maxCostUsd" | "models" | "seed"> & {
  baseURL?: string | undefined;
};

async function prepare(options: PlanInput) {
  const planned = await planRun(options.store, options.task, {
    seed: options.seed ?? SEED,
    maxCostUsd: options.maxCostUsd ?? null,
    ...(options.models ? { models: options.models } : {}),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
  });
  // The cap is the run plan's, but an evaluation runs no search: only its test phase is checked
  // against it, never a search fitted into it.
  const plan = { ...planned, models: planned.plan.models, budgetUsd: planned.plan.budgetUsd };
  const edited = readPrompt(options.fileText, plan.format);
  const test = plan.data.enough ? plan.data.split.test : [];
  // Two prompts, the active one and the edit, on every held-out example.
  const worstCaseUsd = testPhaseWorstCase(
    plan.template,
    test,
    plan.models,
    planned.plan.prices,
    plan.config.module_type,
    planned.plan.knobs.usesJudge,
    2,
  );
  return { plan, edited, test, worstCaseUsd };
}

/** What `--dry-run` prints: the cost before any model is called. */
export async function planEvaluation(options: PlanInput): Promise<EvaluationPlan> {
  const { plan, edited, test, worstCaseUsd } = await prepare(options);
  return {
    worstCaseUsd,
    budgetUsd: plan.budgetUsd,
    heldOut: test.length,
    skip: !plan.data.enough
      ? plan.data.message
      : edited.trim() === plan.template.trim()
        ? "the prompt file is the same as the active prompt"
        : null,
  };
}

export async function evaluatePrompt(options: EvaluateOptions): Promise<EvaluationOutcome> {
  const started = Date.now();
  const { plan, edited, test, worstCaseUsd } = await prepare({
    ...options,
    baseURL: options.endpoint.baseURL,
  });
  const { config, template, models } = plan;
  const footer = options.footer ?? { jobId: null };
  const history = await options.store.listPromptVersions(options.task);
  const base = {
    task: options.task,
    kind: "eval" as const,
    seedTemplate: template,
    search: null,
    estimate: null,
    spent: null,
    history,
    footer,
  };
  if (!plan.data.enough) {
    const input: ReportInput = {
      ...base,
      evaluator: { name: evaluatorName(config, models.judge), usesJudge: false },
      agreement: null,
      gate: null,
      calls: { made: 0, cached: 0 },
      durationSeconds: 0,
      test: [],
      sizes: { train: 0, val: 0, test: 0 },
      notEnoughData: { usable: plan.data.usable, needed: MIN_USABLE, total: plan.data.total },
    };
    return { verdict: "not-enough-data", spentUsd: 0, report: renderReport(input), input };
  }
  if (edited.trim() === template.trim())
    return {
      verdict: "unchanged",
      spentUsd: 0,
      input: null,
      report: `## Kaizen: your edit of ${options.task}\n\n➖ **The prompt file is the same as the active prompt: nothing to evaluate.**\n`,
    };
  if (plan.budgetUsd !== null && worstCaseUsd > plan.budgetUsd)
    throw new KaizenError(
      `evaluating ${options.task} could cost up to $${worstCaseUsd.toFixed(4)}, above the cap of $${plan.budgetUsd.toFixed(4)}: raise --max-cost-usd (or the task's cost_budget)`,
    );

  const { split } = plan.data;
  const budget = new Budget(plan.budgetUsd);
  const gateway = new OpenAIGateway({
    ...options.endpoint,
    prices: plan.plan.prices,
    budget,
    cache: new ResponseCache(options.cacheDir),
    concurrency: 8,
  });
  const evaluator = buildEvaluator(config, gateway, models.judge, split.train);
  const rng = new Random(options.seed ?? SEED);
  const agreement = await measureAgreement(evaluator, test, rng.fork("retest").sample(test, RETEST));
  const candidate = (id: number, text: string): Candidate => ({
    id,
    template: text,
    parent: id === 0 ? null : 0,
    rationale: id === 0 ? "" : "a person's edit",
    scores: new Map(),
    status: id === 0 ? "seed" : "validated",
    reason: null,
    costUsd: 0,
  });
  const gate = await runGate({
    gateway,
    evaluator,
    models,
    moduleType: config.module_type,
    seedCandidate: candidate(0, template),
    finalists: [candidate(1, edited)],
    topK: 1,
    test,
    seed: options.seed ?? SEED,
  });
  const result = gate.results[0]!;
  const input: ReportInput = {
    ...base,
    evaluator: { name: evaluatorName(config, models.judge), usesJudge: evaluator.usesJudge },
    agreement,
    gate,
    calls: { made: gateway.stats.calls, cached: gateway.stats.cacheHits },
    durationSeconds: (Date.now() - started) / 1000,
    test,
    sizes: { train: split.train.length, val: split.val.length, test: split.test.length },
  };
  return {
    report: renderReport(input),
    input,
    verdict: gate.winner ? "better" : result.gain.high < 0 ? "worse" : "unclear",
    spentUsd: budget.snapshot().spentUsd,
  };
}
