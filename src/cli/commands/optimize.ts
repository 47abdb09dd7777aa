/**
 * `kaizen optimize --task NAME`: the optimization pipeline on a local repository. The result is
 * the `kaizen/<task>` branch, the candidate version and the job on the data branch, and the
 * report, with a progress bar while it works. `--dry-run` prints the plan and the cost estimate
 * and calls no model.
 */
import path from "node:path";
import { KaizenError } from "../../core/errors.js";
import { newId } from "../../core/ids.js";
import { LOCAL_REPO_KEY } from "../../app/local.js";
import { claimJob, executeJob, failJob, localBranchShipper, timingFromEnv } from "../../jobs/index.js";
import { estimateTable } from "../../optimizer/estimate.js";
import { defaultCacheDir } from "../../optimizer/llm/cache.js";
import { endpointFromEnv, retryFromEnv } from "../../optimizer/llm/gateway.js";
import { planRun } from "../../jobs/plan.js";
import { UnknownModelPriceError } from "../../core/prices.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { checkCommittedFiles } from "../committed-files.js";
import { numberOption, parseCommandArgs, CliUsageError, type CliIo, type Command } from "../command.js";
import { elsewhere, painter, Progress } from "../output.js";
import { renderTerminal } from "../../report/terminal.js";
import { reportFileOption, writeReportFile } from "../report-file.js";

export const optimizeCommand: Command = {
  usage: `Usage: kaizen optimize --task NAME [--repo DIR] [--dry-run] [--max-cost-usd X] [--seed S] [--report FILE]

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
  --report FILE       write the whole report (Markdown, as the pull request shows it) to FILE

Example:
  OPENAI_API_KEY=sk-... kaizen optimize --task summarize_ticket --max-cost-usd 2`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      task: { type: "string" },
      repo: { type: "string" },
      "dry-run": { type: "boolean" },
      "max-cost-usd": { type: "string" },
      seed: { type: "string" },
      report: { type: "string" },
    });
    if (!values.task) throw new CliUsageError("--task is required: which task to optimize");
    const maxCostUsd =
      values["max-cost-usd"] === undefined
        ? null
        : numberOption("max-cost-usd", values["max-cost-usd"], 0, 0.000001);
    const repoDir = path.resolve(io.cwd, values.repo ?? ".");
    const reportFile = await reportFileOption(io, values.report);
    const store = await LocalGitStore.open(repoDir);
    const paint = painter(io);
    const jobId = newId();
    await checkCommittedFiles(store, repoDir, values.task, { promptFromBranch: true }, (line) =>
      io.stderr.write(`${paint("yellow", "Note:")} ${line}\n`),
    );

    if (values["dry-run"]) {
      const planned = await planRun(store, values.task, {
        seed: values.seed ?? jobId,
        maxCostUsd,
        ...(io.env.OPENAI_BASE_URL ? { baseURL: io.env.OPENAI_BASE_URL } : {}),
      });
      const { plan } = planned;
      const { models, estimate } = plan;
      io.stdout.write(
        `Plan for ${paint("bold", values.task)} (${planned.config.prompt_path}, ${planned.format}):\n`,
      );
      if (!planned.data.enough)
        io.stdout.write(`${paint("yellow", "No search would run:")} ${planned.data.message}.\n`);
      else
        io.stdout.write(
          `  data: ${plan.sizes.train} train, ${plan.sizes.val} validation, ${plan.sizes.test} test examples\n  search: ${plan.knobs.initialProposals} initial proposals, up to ${plan.knobs.iterations} iterations\n  models: teacher ${models.teacher}, ${plan.knobs.usesJudge ? `judge ${models.judge}, ` : ""}student ${models.student}\n  evaluator: ${planned.evaluatorName}\n  prices:\n${planned.priceNotes.map((n) => `    ${n}\n`).join("")}${plan.unpriced.length > 0 ? `  ${paint("yellow", "A run would be refused:")} ${new UnknownModelPriceError(plan.unpriced).message.replace(/\n/g, "\n  ")}\n` : ""}  budget: ${plan.budgetUsd === null ? "none" : `$${plan.budgetUsd.toFixed(2)}`}${plan.tooSmall ? `\n  ${paint("yellow", "A run would be refused:")} ${plan.tooSmall}` : ""}\n\n${estimateTable(estimate)}\n\nDry run: no model was called, nothing was written.\n`,
        );
      return 0;
    }

    const endpoint = endpointFromEnv(io.env);
    const retry = retryFromEnv(io.env);
    const claim = await claimJob(store, {
      task: values.task,
      repoKey: LOCAL_REPO_KEY,
      triggeredBy: "manual",
    });
    if (!claim.claimed)
      throw new KaizenError(`${values.task}: ${claim.reason}; wait for it, or run \`kaizen jobs cancel\``);
    const stopOnCtrlC = cancelOnInterrupt(store, claim.job.id, io);
    const bar = new Progress(io.stderr, io.isTTY, `optimize ${values.task}`, 1000);
    try {
      const { job, result, shipped } = await executeJob(store, claim, {
        shipper: localBranchShipper(store),
        run: {
          endpoint,
          cacheDir: defaultCacheDir(io.env),
          maxCostUsd,
          timing: timingFromEnv(io.env),
          retry,
          signal: stopOnCtrlC.signal,
          ...(values.seed ? { seed: values.seed } : {}),
          onProgress: (event) =>
            bar.update(Math.round(event.fraction * 1000), `$${event.spentUsd.toFixed(4)} · ${event.step}`),
        },
      });
      bar.finish();
      io.stdout.write(
        `${renderTerminal({ kind: "optimize", ...result.evidence, history: [], footer: { jobId: job.id } }, paint)}\n\n${(result.notes ?? []).map((n) => `${n}\n`).join("")}`,
      );
      if (reportFile) await writeReportFile(io, reportFile, result.report);
      else
        io.stdout.write(
          `The whole report: kaizen optimize … --report FILE writes it as Markdown; it is also in the job (kaizen jobs show ${job.id} --json${elsewhere(io.cwd, repoDir).repo}, job_metadata.report).\n`,
        );
      if (!shipped) {
        io.stdout.write(`Job ${job.id}: ${job.progress_step}\n`);
        return 0;
      }
      if ("failed" in shipped) {
        io.stderr.write(
          `${paint("red", "The branch could not be written:")} ${shipped.failed} (job ${job.id} is PR_FAILED)\n`,
        );
        return 1;
      }
      const version = (await store.listPromptVersions(values.task)).find(
        (v) => v.id === job.prompt_version_id,
      );
      io.stdout.write(
        `${paint("green", "Done:")} the new prompt is on branch ${paint("bold", shipped.shipped.branch)} (version ${version?.version_number}, job ${job.id}).\nReview it with: ${elsewhere(io.cwd, repoDir).git} diff ${await store.defaultBranch()}...${shipped.shipped.branch}\n`,
      );
      return 0;
    } finally {
      stopOnCtrlC.dispose();
    }
  },
};

/**
 * Ctrl-C ends the job FAILED ("cancelled"), written before the process exits, so the task is
 * not left with a job in flight that blocks the next run.
 */
function cancelOnInterrupt(store: LocalGitStore, jobId: string, io: CliIo) {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    const reason = `cancelled (${signal === "SIGINT" ? "Ctrl-C" : signal})`;
    controller.abort(reason);
    io.stderr.write(`\n${reason}: marking job ${jobId} FAILED…\n`);
    void failJob(store, jobId, reason).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
