import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  Budget,
  MIN_USABLE,
  OpenAIGateway,
  Random,
  ResponseCache,
  buildEvaluator,
  evaluatorName,
  measureAgreement,
  planJob,
  renderReport,
  runGate,
  testPhaseWorstCase
} from "./chunk-APVKA7BG.js";
import {
  readPrompt
} from "./chunk-EHX4BM5X.js";
import {
  KaizenError
} from "./chunk-4CXYVOQZ.js";

// src/jobs/evaluate.ts
var SEED = "kaizen-eval";
var RETEST = 6;
async function prepare(options) {
  const planned = await planJob(options.store, options.task, {
    seed: options.seed ?? SEED,
    maxCostUsd: null,
    models: options.models
  });
  const caps = [planned.config.cost_budget, options.maxCostUsd ?? null].filter(
    (x) => x !== null
  );
  const plan = { ...planned, budgetUsd: caps.length ? Math.min(...caps) : null };
  const edited = readPrompt(options.fileText, plan.format);
  const test = plan.data.enough ? plan.data.split.test : [];
  const perPrompt = testPhaseWorstCase(
    plan.template,
    test,
    plan.models,
    plan.prices,
    plan.config.module_type,
    plan.estimate.plan.usesJudge
  ) / 3;
  const worstCaseUsd = perPrompt * 2;
  return { plan, edited, test, worstCaseUsd };
}
async function planEvaluation(options) {
  const { plan, edited, test, worstCaseUsd } = await prepare(options);
  return {
    worstCaseUsd,
    budgetUsd: plan.budgetUsd,
    heldOut: test.length,
    skip: !plan.data.enough ? plan.data.message : edited.trim() === plan.template.trim() ? "the prompt file is the same as the active prompt" : null
  };
}
async function evaluatePrompt(options) {
  const started = Date.now();
  const { plan, edited, test, worstCaseUsd } = await prepare(options);
  const { config, template, models } = plan;
  const footer = options.footer ?? { jobId: null };
  const history = await options.store.listPromptVersions(options.task);
  const base = {
    task: options.task,
    kind: "eval",
    seedTemplate: template,
    search: null,
    estimate: null,
    spent: null,
    history,
    footer
  };
  if (!plan.data.enough)
    return {
      verdict: "not-enough-data",
      spentUsd: 0,
      report: renderReport({
        ...base,
        evaluator: { name: evaluatorName(config, models.judge), usesJudge: false },
        agreement: null,
        gate: null,
        calls: { made: 0, cached: 0 },
        durationSeconds: 0,
        test: [],
        sizes: { train: 0, val: 0, test: 0 },
        notEnoughData: { usable: plan.data.usable, needed: MIN_USABLE, total: plan.data.total }
      })
    };
  if (edited.trim() === template.trim())
    return {
      verdict: "unchanged",
      spentUsd: 0,
      report: `## Kaizen: your edit of ${options.task}

\u2796 **The prompt file is the same as the active prompt: nothing to evaluate.**
`
    };
  if (plan.budgetUsd !== null && worstCaseUsd > plan.budgetUsd)
    throw new KaizenError(
      `evaluating ${options.task} could cost up to $${worstCaseUsd.toFixed(4)}, above the cap of $${plan.budgetUsd.toFixed(4)}: raise --max-cost-usd (or the task's cost_budget)`
    );
  const { split } = plan.data;
  const budget = new Budget(plan.budgetUsd);
  const gateway = new OpenAIGateway({
    ...options.endpoint,
    prices: plan.prices,
    budget,
    cache: new ResponseCache(options.cacheDir),
    concurrency: 8
  });
  const evaluator = buildEvaluator(config, gateway, models.judge, split.train);
  const rng = new Random(options.seed ?? SEED);
  const agreement = await measureAgreement(evaluator, test, rng.fork("retest").sample(test, RETEST));
  const candidate = (id, text) => ({
    id,
    template: text,
    parent: id === 0 ? null : 0,
    rationale: id === 0 ? "" : "a person's edit",
    scores: /* @__PURE__ */ new Map(),
    status: id === 0 ? "seed" : "validated",
    reason: null,
    costUsd: 0
  });
  const gate = await runGate({
    gateway,
    evaluator,
    models,
    moduleType: config.module_type,
    seedCandidate: candidate(0, template),
    finalists: [candidate(1, edited)],
    test,
    seed: options.seed ?? SEED
  });
  const result = gate.results[0];
  const report = renderReport({
    ...base,
    evaluator: { name: evaluatorName(config, models.judge), usesJudge: evaluator.usesJudge },
    agreement,
    gate,
    calls: { made: gateway.stats.calls, cached: gateway.stats.cacheHits },
    durationSeconds: (Date.now() - started) / 1e3,
    test,
    sizes: { train: split.train.length, val: split.val.length, test: split.test.length }
  });
  return {
    report,
    verdict: gate.winner ? "better" : result.gain.high < 0 ? "worse" : "unclear",
    spentUsd: budget.snapshot().spentUsd
  };
}

export {
  planEvaluation,
  evaluatePrompt
};
