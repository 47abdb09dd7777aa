/**
 * One optimization job, from logged feedback to a proven candidate (or an honest "no"),
 * recording its progress on the job record as it goes:
 *
 *   RUNNING     load the task, the prompt and the feedback; estimate the cost
 *   EVALUATING  measure the evaluator against the people's scores; search
 *   COMPILING   test the finalists on held-out data; write the candidate version
 *
 * It never knows whether the CLI, the app's local worker or the Action runs it: the caller
 * turns a shipped candidate into a branch or a pull request, then finishes the job. Any
 * exception leaves the job FAILED with the reason; the candidate version and the ledger are
 * written in one commit, at the end, so nothing is ever half-written.
 */
import { modelsOf } from "../core/defaults.js";
import { KaizenError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { transition } from "../core/job-state.js";
import { priceTable } from "../core/prices.js";
import { Random } from "../core/random.js";
import { Job, PromptVersion } from "../core/records.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { detectPromptFormat, readPrompt, writePrompt } from "../render/index.js";
import { layout } from "../store/layout.js";
import type { Store } from "../store/store.js";
import { loadTasks } from "../store/tasks.js";
import { measureAgreement } from "./agreement.js";
import { Budget } from "./budget.js";
import { loadExamples, MIN_USABLE, type Example } from "./dataset.js";
import { estimateRun, fitToBudget, splitSizes, tokenMeans, type Estimate } from "./estimate.js";
import { buildEvaluator } from "./evaluators/index.js";
import { runGate, TOP_K } from "./gate.js";
import { ResponseCache } from "./llm/cache.js";
import { OpenAIGateway } from "./llm/gateway.js";
import { countMessageTokens, countTokens } from "./llm/tokens.js";
import { evaluatorName, renderReport, type ReportInput } from "../render/report/index.js";
import { searchPrompt, studentMessages, DEFAULT_LIMITS, type SearchLimits } from "./search.js";
import { costUsd } from "../core/prices.js";

export interface JobOptions {
  store: Store;
  task: string;
  jobId: string;
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
  /** Defaults to the job id; pass the first run's to replay it from the cache. */
  seed?: string;
  onProgress?: (event: { step: string; fraction: number; spentUsd: number }) => void;
  now?: () => Date;
  /** The CI run this job runs in, linked from the report's footer. */
  runUrl?: string | null;
}

export interface JobOutcome {
  job: Job;
  report: string;
  /** Set when a candidate ships: the new prompt file, for the branch or pull request. */
  ship: { path: string; text: string; version: PromptVersion } | null;
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
  const config = (await loadTasks(store)).tasks.find((t) => t.name === task);
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
  options: Pick<JobOptions, "maxCostUsd" | "models"> & { seed: string },
) {
  const loaded = await loadTaskForJob(store, task);
  const data = await loadExamples(store.readFeedback(task), new Random(options.seed));
  const models = { ...modelsOf(loaded.config), ...options.models };
  const prices = priceTable(loaded.config.model_prices);
  const examples = data.enough ? data.examples : [];
  const tokens = tokenMeans(loaded.template, examples);
  const limit = [loaded.config.cost_budget, options.maxCostUsd ?? null].filter(
    (x): x is number => x !== null,
  );
  const budgetUsd = limit.length ? Math.min(...limit) : null;
  const sizes = splitSizes(examples.length);
  const estimate = data.enough
    ? fitToBudget(sizes, tokens, models, prices, budgetUsd)
    : estimateRun(sizes, tokens, models, prices);
  return { ...loaded, data, models, prices, budgetUsd, estimate };
}

export async function runOptimizationJob(options: JobOptions): Promise<JobOutcome> {
  const { store, jobId } = options;
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  // A re-run of the same job uses the same seed, so every answer it needs is in the cache.
  const seed = options.seed ?? jobId;
  const move = (to: Job["status"], changes: Partial<Job>) =>
    store.updateJob(
      jobId,
      (j) => transition(j, to, changes, now()),
      `Job ${jobId}: ${to}${changes.progress_step ? ` (${changes.progress_step})` : ""}`,
    );
  const step = (progress_step: string) =>
    store.updateJob(jobId, (j) => ({ ...j, progress_step }), `Job ${jobId}: ${progress_step}`);
  let budget: Budget | null = null;
  const progress = (text: string, fraction: number) =>
    options.onProgress?.({ step: text, fraction, spentUsd: budget?.snapshot().spentUsd ?? 0 });

  let job = await move("RUNNING", { progress_step: "Loading the task and its feedback" });
  try {
    progress("loading the task and its feedback", 0);
    const plan = await planJob(store, options.task, {
      seed,
      maxCostUsd: options.maxCostUsd,
      models: options.models,
    });
    const footer = {
      jobId,
      runUrl:
        options.runUrl ??
        (typeof job.job_metadata?.workflow_run_url === "string" ? job.job_metadata.workflow_run_url : null),
    };
    const history = await store.listPromptVersions(options.task);
    const judgeModel = plan.models.judge;
    if (!plan.data.enough) {
      job = await move("SUCCESS", {
        progress_step: `Not enough data: ${plan.data.message}`,
        job_metadata: { usable_feedback: plan.data.usable, feedback_entries: plan.data.total },
      });
      return {
        job,
        report: renderReport({
          task: options.task,
          kind: "optimize",
          seedTemplate: plan.template,
          evaluator: { name: evaluatorName(plan.config, judgeModel), usesJudge: false },
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
        ship: null,
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
    budget.setFloor(testPhaseWorstCase(template, split.test, models, prices, config.module_type));

    job = await move("EVALUATING", {
      progress_step: "Measuring the evaluator against people's scores",
      job_metadata: { estimate_usd: estimate.usd, planned_calls: estimate.calls },
    });
    const rng = new Random(seed);
    const evaluator = buildEvaluator(config, gateway, models.judge, split.train);
    const agreement = await measureAgreement(
      evaluator,
      [...split.val, ...split.test],
      rng.fork("retest").sample(split.val, 10),
    );
    // The seed's train scores (and critiques) come from judging the logged outputs too.
    const seedScores = new Map(agreement.scores);
    await Promise.all(
      split.train.map(async (e) => seedScores.set(e.id, await evaluator.evaluate(e, e.output))),
    );
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
      agreement: {
        spearman: agreement.spearman.value,
        mae: agreement.mae,
        noise: agreement.noise,
        n: agreement.n,
      },
    });
    const report = (search: ReportInput["search"], gate: ReportInput["gate"]) =>
      renderReport({
        task: options.task,
        kind: "optimize",
        seedTemplate: template,
        evaluator: { name: evaluatorName(config, models.judge), usesJudge: evaluator.usesJudge },
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
      });

    if (agreement.tooPoor) {
      job = await move("SUCCESS", {
        progress_step: "Stopped: the evaluator disagrees with people's scores",
        job_metadata: metadataBase(),
      });
      return { job, report: report(null, null), ship: null };
    }

    await step("Searching for a better prompt");
    const limits = options.limits ?? { ...DEFAULT_LIMITS, iterations: estimate.plan.iterations };
    const search = await searchPrompt({
      template,
      split,
      seedScores,
      evaluator,
      gateway,
      rng,
      models,
      moduleType: config.module_type,
      description: config.description,
      noise: agreement.noise,
      limits,
      spent: () => budget!.snapshot().spentUsd,
      onProgress: (message, fraction) => progress(message, 0.15 + fraction * 0.65),
    });

    job = await move("COMPILING", {
      progress_step: `Testing ${Math.min(TOP_K, search.finalists.length)} finalist(s) on held-out data`,
    });
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
    }));

    if (!gate?.winner) {
      job = await store.transact(`Job ${jobId}: no significant improvement`, async (tx) => {
        tx.write(layout.ledger(options.task, jobId), `${ledger.map((l) => JSON.stringify(l)).join("\n")}\n`);
        const current = (await tx.readJson(layout.job(options.task, jobId), Job))!;
        const done = transition(
          current,
          "SUCCESS",
          {
            progress_step: "No significant improvement",
            job_metadata: {
              ...metadataBase(),
              stopped_by: search.stoppedBy,
              trials: search.candidates.length - 1,
            },
          },
          now(),
        );
        tx.writeJson(layout.job(options.task, jobId), Job, done);
        return done;
      });
      progress("done: no significant improvement", 1);
      return { job, report: report(search, gate), ship: null };
    }

    const winner = gate.winner;
    const fileText = writePrompt(plan.fileText, plan.format, winner.candidate.template);
    const text = report(search, gate);
    const result = await store.transact(`Job ${jobId}: candidate prompt for ${options.task}`, async (tx) => {
      const numbers = (await tx.list(layout.promptsDir(options.task))).map((p) =>
        Number(/(\d+)\.json$/.exec(p)?.[1] ?? 0),
      );
      const version = PromptVersion.parse({
        id: newId(),
        task_id: job.task_id,
        version_number: Math.max(0, ...numbers) + 1,
        prompt_text: winner.candidate.template,
        eval_score: winner.mean.mean,
        status: "candidate",
        optimizer: "kaizen",
        created_at: now().toISOString(),
        job_id: jobId,
      });
      tx.writeJson(layout.prompt(options.task, version.version_number), PromptVersion, version);
      tx.write(layout.ledger(options.task, jobId), `${ledger.map((l) => JSON.stringify(l)).join("\n")}\n`);
      const current = (await tx.readJson(layout.job(options.task, jobId), Job))!;
      const updated = {
        ...current,
        prompt_version_id: version.id,
        progress_step: "Candidate ready; opening the pull request",
        job_metadata: {
          ...metadataBase(),
          stopped_by: search.stoppedBy,
          trials: search.candidates.length - 1,
          baseline_score: gate.seed.mean.mean,
          best_score: winner.mean.mean,
          gain: winner.gain,
          report: text,
        },
      };
      tx.writeJson(layout.job(options.task, jobId), Job, updated);
      return { version, job: updated };
    });
    progress("done: a better prompt", 1);
    return {
      job: result.job,
      report: text,
      ship: { path: config.prompt_path!, text: fileText, version: result.version },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    job = await store.updateJob(
      jobId,
      (j) =>
        j.status === "SUCCESS" || j.status === "FAILED"
          ? j
          : transition(j, "FAILED", { error_message: reason, progress_step: "Failed" }, now()),
      `Job ${jobId}: FAILED`,
    );
    throw Object.assign(error instanceof Error ? error : new Error(reason), { job });
  }
}

/** Marks a job whose candidate reached a branch or pull request as done. */
export function finishJob(
  store: Store,
  jobId: string,
  outcome: { prUrl: string | null; step: string } | { failed: string },
): Promise<Job> {
  return store.updateJob(jobId, (j) =>
    "failed" in outcome
      ? transition(j, "PR_FAILED", {
          error_message: outcome.failed,
          progress_step: "The pull request could not be opened",
        })
      : transition(j, "SUCCESS", { pr_url: outcome.prUrl, progress_step: outcome.step }),
  );
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** The final test's worst case: (k + 1) prompts × test examples × (student + judge), with room for longer candidates. */
export function testPhaseWorstCase(
  template: string,
  test: readonly Example[],
  models: { student: string; judge: string },
  prices: ReturnType<typeof priceTable>,
  moduleType: TaskConfig["module_type"],
): number {
  let perPrompt = 0;
  for (const e of test) {
    const input = countMessageTokens(studentMessages(template, e, moduleType));
    perPrompt += costUsd(models.student, { input: input * 1.5, output: 800 }, prices);
    perPrompt += costUsd(models.judge, { input: input + countTokens(e.output) + 1_500, output: 200 }, prices);
  }
  return perPrompt * (TOP_K + 1);
}

export type { Estimate };
