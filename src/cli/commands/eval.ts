/**
 * `kaizen eval --task NAME [--prompt FILE]`: is my edit of the prompt better? Scores the prompt
 * file as it stands in the working tree (or FILE) against the active prompt on the task's
 * held-out logged feedback, and prints the verdict and its figures as text (`--report FILE`
 * writes the Markdown report a check run carries). It informs: the exit code is 0 whatever the
 * verdict, 1 only on an error.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { KaizenError } from "../../core/errors.js";
import { evaluatePrompt, planEvaluation } from "../../jobs/evaluate.js";
import { defaultCacheDir } from "../../optimizer/llm/cache.js";
import { endpointFromEnv } from "../../optimizer/llm/gateway.js";
import { loadTaskForJob } from "../../jobs/plan.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { checkCommittedFiles } from "../committed-files.js";
import { numberOption, parseCommandArgs, CliUsageError, type Command } from "../command.js";
import { painter } from "../output.js";
import { reportFileOption, writeReportFile } from "../report-file.js";
import { renderTerminal } from "../../report/terminal.js";

export const evalCommand: Command = {
  usage: `Usage: kaizen eval --task NAME [--prompt FILE] [--repo DIR] [--dry-run] [--max-cost-usd X] [--report FILE]

Scores the task's prompt file as it stands in the working tree (or FILE) against the active
prompt (the file on the default branch), on held-out logged feedback from the kaizen/data
branch, with the task's evaluator and the same paired test as kaizen optimize. Prints the verdict
and its figures; --report FILE writes the report a pull request would get. Exits 0 whatever the
verdict; 1 only on an error.
Models are reached through OPENAI_API_KEY and OPENAI_BASE_URL (any OpenAI-compatible server).

Options:
  --task NAME         the task (.kaizen/tasks/NAME.yml)
  --prompt FILE       the edited prompt file (default: the task's prompt_path in the working tree)
  --repo DIR          the repository (default: the current directory)
  --dry-run           print what the evaluation would cost at most; call no model
  --max-cost-usd X    spend at most X US dollars (below the task's cost_budget)
  --report FILE       write the whole report (Markdown, as the check run shows it) to FILE

Example:
  OPENAI_API_KEY=sk-... kaizen eval --task summarize_ticket --max-cost-usd 0.50`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      task: { type: "string" },
      prompt: { type: "string" },
      repo: { type: "string" },
      "dry-run": { type: "boolean" },
      "max-cost-usd": { type: "string" },
      report: { type: "string" },
    });
    if (!values.task) throw new CliUsageError("--task is required: which task's prompt to evaluate");
    const maxCostUsd =
      values["max-cost-usd"] === undefined
        ? null
        : numberOption("max-cost-usd", values["max-cost-usd"], 0, 0.000001);
    const repoDir = path.resolve(io.cwd, values.repo ?? ".");
    const reportFile = await reportFileOption(io, values.report);
    const store = await LocalGitStore.open(repoDir);
    const paint = painter(io);
    await checkCommittedFiles(store, repoDir, values.task, { promptFromBranch: false }, (line) =>
      io.stderr.write(`${paint("yellow", "Note:")} ${line}\n`),
    );
    const { config } = await loadTaskForJob(store, values.task);
    const file = values.prompt
      ? path.resolve(io.cwd, values.prompt)
      : path.join(repoDir, config.prompt_path!);
    const fileText = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new KaizenError(`cannot read the prompt file ${file}: ${error.code ?? error.message}`);
    });
    // The endpoint's address decides prices as in `kaizen optimize`: a model served from this machine is $0.
    const options = { store, task: values.task, fileText, maxCostUsd, baseURL: io.env.OPENAI_BASE_URL };
    const plan = await planEvaluation(options);
    io.stderr.write(
      `${paint("bold", `eval ${values.task}`)}: ${file} against the active prompt on ${plan.heldOut} held-out examples; at most $${plan.worstCaseUsd.toFixed(4)}${plan.budgetUsd === null ? "" : ` (cap $${plan.budgetUsd.toFixed(2)})`}\n`,
    );
    if (values["dry-run"]) {
      io.stdout.write(
        `${plan.skip ? `Nothing would be measured: ${plan.skip}.\n` : ""}Dry run: no model was called, nothing was written.\n`,
      );
      return 0;
    }
    const outcome = await evaluatePrompt({
      ...options,
      endpoint: endpointFromEnv(io.env),
      cacheDir: defaultCacheDir(io.env),
    });
    io.stdout.write(
      outcome.input
        ? `${renderTerminal(outcome.input, paint)}\n`
        : `${outcome.report.replace(/^## .*\n\n/, "").replace(/\*\*/g, "")}`,
    );
    if (reportFile) await writeReportFile(io, reportFile, outcome.report);
    return 0;
  },
};
