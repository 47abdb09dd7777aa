/**
 * Planning a run, for every surface: the app's optimize route (its 202's cost_estimate), the
 * Action's dry run, `kaizen optimize` (its --dry-run and its run), `kaizen eval`, and the job's
 * own run all call `planRun`. It loads the task, the prompt file and the feedback, splits them
 * with the run's seed, and makes the one RunPlan the estimate, the search and the gate read.
 */
import { MAX_DEMOS, modelsOf } from "../core/defaults.js";
import { ConfigError, KaizenError } from "../core/errors.js";
import { Random } from "../core/random.js";
import { taskNameFromPath } from "../core/task-config.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { loadExamples } from "../optimizer/dataset.js";
import { describeEvaluator, judgeRubric, usesJudge } from "../optimizer/evaluators/index.js";
import type { PlannedRun } from "../optimizer/pipeline.js";
import { pricesForRun } from "../optimizer/preflight.js";
import type { Knobs } from "../optimizer/knobs.js";
import { loadTokenizer } from "../optimizer/llm/tokens.js";
import { makeRunPlan } from "../optimizer/run-plan.js";
import { detectPromptFormat, readPrompt } from "../render/index.js";
import type { Store } from "../store/store.js";
import { loadTasks } from "../store/tasks.js";

export interface PlanOptions {
  /** The run's seed (the job id): the split, and so the plan, follow from it. */
  seed: string;
  /** A hard cap below the task's cost_budget (the Action's max-cost-usd, the CLI's --max-cost-usd). */
  maxCostUsd?: number | null;
  models?: Partial<{ teacher: string; judge: string; student: string }>;
  /** The model endpoint: a local or private one serves its models free unless the task prices them. */
  baseURL?: string;
  /** The run's shape where it differs from the defaults (tests: a smaller search). */
  knobs?: Partial<Knobs>;
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

/** How many examples the task file lets a prompt quote (`demonstrations: false | {max: N}`). */
export function demonstrationsAllowed(config: Pick<TaskConfig, "demonstrations">): number {
  if (config.demonstrations === false) return 0;
  return config.demonstrations?.max ?? MAX_DEMOS;
}

/** The plan of a run of `task` now, from its real data, before any model call. */
export async function planRun(store: Store, task: string, options: PlanOptions): Promise<PlannedRun> {
  await loadTokenizer();
  const loaded = await loadTaskForJob(store, task);
  const data = await loadExamples(store.readFeedback(task), new Random(options.seed));
  const models = { ...modelsOf(loaded.config), ...options.models };
  const { prices, unknown, notes } = pricesForRun(loaded.config, models, options.baseURL);
  const caps = [loaded.config.cost_budget, options.maxCostUsd ?? null].filter((x): x is number => x !== null);
  const plan = makeRunPlan({
    task: {
      template: loaded.template,
      description: loaded.config.description,
      rubric: judgeRubric(loaded.config),
      moduleType: loaded.config.module_type,
      format: loaded.format,
      usesJudge: usesJudge(loaded.config),
    },
    split: data.enough ? data.split : { train: [], val: [], test: [] },
    models,
    prices,
    unpriced: unknown,
    budgetUsd: caps.length ? Math.min(...caps) : null,
    knobs: { demos: demonstrationsAllowed(loaded.config), ...options.knobs },
  });
  return {
    task,
    ...loaded,
    data,
    evaluatorName: describeEvaluator(loaded.config),
    priceNotes: notes,
    plan,
  };
}
