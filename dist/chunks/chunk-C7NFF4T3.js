import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  LOCAL_REPO_KEY
} from "./chunk-YU3E5EW2.js";
import {
  claimJob,
  executeJob,
  failJob,
  localBranchShipper,
  timingFromEnv
} from "./chunk-ZA56Q3X5.js";
import {
  defaultCacheDir,
  endpointFromEnv,
  estimateTable,
  planJob
} from "./chunk-APVKA7BG.js";
import {
  UnknownModelPriceError,
  modelsOf
} from "./chunk-EHX4BM5X.js";
import {
  LocalGitStore
} from "./chunk-HQNAUYHO.js";
import {
  Progress,
  painter
} from "./chunk-WIQSA56B.js";
import {
  CliUsageError,
  numberOption,
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import {
  newId
} from "./chunk-H57QFYJN.js";
import {
  KaizenError
} from "./chunk-4CXYVOQZ.js";

// src/cli/commands/optimize.ts
import path from "node:path";
var optimizeCommand = {
  usage: `Usage: kaizen optimize --task NAME [--repo DIR] [--dry-run] [--max-cost-usd X] [--seed S]

Runs Kaizen's optimizer on a local repository: reads the task's feedback from the kaizen/data
branch, searches for a better prompt with the task's teacher, judge and student models, tests it
on held-out data, and, when it is better beyond noise, writes it to the branch kaizen/<task>.
Models are reached through OPENAI_API_KEY and OPENAI_BASE_URL (any OpenAI-compatible server).

Options:
  --task NAME         the task (.kaizen/tasks/NAME.yml)
  --repo DIR          the repository (default: the current directory)
  --dry-run           print the plan and the cost estimate; call no model
  --max-cost-usd X    spend at most X US dollars (below the task's cost_budget)
  --seed S            the random seed (default: the job id); reuse one to replay a run from the cache

Example:
  OPENAI_API_KEY=sk-... kaizen optimize --task summarize_ticket --max-cost-usd 2`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      task: { type: "string" },
      repo: { type: "string" },
      "dry-run": { type: "boolean" },
      "max-cost-usd": { type: "string" },
      seed: { type: "string" }
    });
    if (!values.task) throw new CliUsageError("--task is required: which task to optimize");
    const maxCostUsd = values["max-cost-usd"] === void 0 ? null : numberOption("max-cost-usd", values["max-cost-usd"], 0, 1e-6);
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const paint = painter(io);
    const jobId = newId();
    if (values["dry-run"]) {
      const plan = await planJob(store, values.task, {
        seed: values.seed ?? jobId,
        maxCostUsd,
        ...io.env.OPENAI_BASE_URL ? { baseURL: io.env.OPENAI_BASE_URL } : {}
      });
      const models = modelsOf(plan.config);
      io.stdout.write(
        `Plan for ${paint("bold", values.task)} (${plan.config.prompt_path}, ${plan.format}):
`
      );
      if (!plan.data.enough)
        io.stdout.write(`${paint("yellow", "No search would run:")} ${plan.data.message}.
`);
      else
        io.stdout.write(
          `  data: ${plan.estimate.sizes.train} train, ${plan.estimate.sizes.val} validation, ${plan.estimate.sizes.test} test examples
  search: ${plan.estimate.plan.initialProposals} initial proposals, up to ${plan.estimate.plan.iterations} iterations
  models: teacher ${models.teacher}, ${plan.estimate.plan.usesJudge ? `judge ${models.judge}, ` : ""}student ${models.student}
  evaluator: ${plan.evaluatorName}
  prices:
${plan.priceNotes.map((n) => `    ${n}
`).join("")}${plan.unpriced.length > 0 ? `  ${paint("yellow", "A run would be refused:")} ${new UnknownModelPriceError(plan.unpriced).message.replace(/\n/g, "\n  ")}
` : ""}  budget: ${plan.budgetUsd === null ? "none" : `$${plan.budgetUsd.toFixed(2)}`}

${estimateTable(plan.estimate)}

Dry run: no model was called, nothing was written.
`
        );
      return 0;
    }
    const endpoint = endpointFromEnv(io.env);
    const claim = await claimJob(store, {
      task: values.task,
      repoKey: LOCAL_REPO_KEY,
      triggeredBy: "manual"
    });
    if (!claim.claimed)
      throw new KaizenError(`${values.task}: ${claim.reason}; wait for it, or run \`kaizen jobs cancel\``);
    const stopOnCtrlC = cancelOnInterrupt(store, claim.job.id, io);
    const bar = new Progress(io.stderr, io.isTTY, `optimize ${values.task}`, 1e3);
    try {
      const { job, result, shipped } = await executeJob(store, claim, {
        shipper: localBranchShipper(store),
        run: {
          endpoint,
          cacheDir: defaultCacheDir(io.env),
          maxCostUsd,
          timing: timingFromEnv(io.env),
          signal: stopOnCtrlC.signal,
          ...values.seed ? { seed: values.seed } : {},
          onProgress: (event) => bar.update(Math.round(event.fraction * 1e3), `$${event.spentUsd.toFixed(4)} \xB7 ${event.step}`)
        }
      });
      bar.finish();
      io.stdout.write(`${result.report}
`);
      if (!shipped) {
        io.stdout.write(`Job ${job.id}: ${job.progress_step}
`);
        return 0;
      }
      if ("failed" in shipped) {
        io.stderr.write(
          `${paint("red", "The branch could not be written:")} ${shipped.failed} (job ${job.id} is PR_FAILED)
`
        );
        return 1;
      }
      const version = (await store.listPromptVersions(values.task)).find(
        (v) => v.id === job.prompt_version_id
      );
      io.stdout.write(
        `${paint("green", "Done:")} the new prompt is on branch ${paint("bold", shipped.shipped.branch)} (version ${version?.version_number}, job ${job.id}).
Review it with: git diff ${await store.defaultBranch()}...${shipped.shipped.branch}
`
      );
      return 0;
    } finally {
      stopOnCtrlC.dispose();
    }
  }
};
function cancelOnInterrupt(store, jobId, io) {
  const controller = new AbortController();
  const onSignal = (signal) => {
    const reason = `cancelled (${signal === "SIGINT" ? "Ctrl-C" : signal})`;
    controller.abort(reason);
    io.stderr.write(`
${reason}: marking job ${jobId} FAILED\u2026
`);
    void failJob(store, jobId, reason).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  };
}

export {
  optimizeCommand
};
