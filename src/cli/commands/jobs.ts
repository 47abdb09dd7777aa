/**
 * `kaizen jobs list|show|cancel`: the optimization jobs of a local repository. Looking is
 * enough to fail a job whose runner vanished (no heartbeat for the stated time).
 */
import path from "node:path";
import { NotFoundError } from "../../core/errors.js";
import { plainText } from "../../core/plain-text.js";
import type { Job } from "../../core/records.js";
import { cancelJob, JobAlreadyEndedError, reapStale, timingFromEnv } from "../../jobs/index.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { CliUsageError, parseCommandArgs, type Command } from "../command.js";
import { painter, table } from "../output.js";

export const jobsCommand: Command = {
  usage: `Usage: kaizen jobs list [--task NAME] [--json] | show JOB_ID [--json] | cancel JOB_ID   [--repo DIR]

Lists the optimization jobs on the kaizen/data branch (newest first), shows one with its
progress, error and metrics, or cancels one not yet finished (it ends FAILED, "cancelled by"
you). A job whose runner vanished (no heartbeat for 15 minutes, KAIZEN_STALE_AFTER_SECONDS)
is failed, with the reason, the next time it is looked at.

Example:
  kaizen jobs list --task summarize_ticket
  kaizen jobs show 01a2070e-9ce9-75c7-9031-bc129fb99fb1 --json
  kaizen jobs cancel 01a2070e-9ce9-75c7-9031-bc129fb99fb1`,
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseCommandArgs(
      rest,
      { repo: { type: "string" }, task: { type: "string" }, json: { type: "boolean" } },
      true,
    );
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const paint = painter(io);
    const print = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    const jobId = () => {
      const id = positionals[0];
      if (!id) throw new CliUsageError(`${action} needs a job id (see kaizen jobs list)`);
      return id;
    };
    if (action === "list" || action === "show")
      await reapStale(store, {
        ...(values.task ? { task: values.task } : {}),
        timing: timingFromEnv(io.env),
      });
    switch (action) {
      case "list": {
        const jobs = await store.listJobs(values.task);
        if (values.json) print(jobs);
        else if (jobs.length === 0) io.stdout.write("No jobs yet: kaizen optimize --task NAME starts one\n");
        else
          io.stdout.write(
            `${table([["id", "status", "trigger", "created", "step"], ...jobs.map((j) => [j.id, status(j, paint), j.triggered_by ?? "", when(j.created_at), j.error_message ?? j.progress_step ?? ""])])}\n`,
          );
        return 0;
      }
      case "show": {
        const found = await store.getJob(jobId());
        if (!found) throw new NotFoundError(`no job ${jobId()} in this repository (see kaizen jobs list)`);
        const { job, task } = found;
        if (values.json) return (print(job), 0);
        const { report: _report, ...metadata } = job.job_metadata ?? {};
        io.stdout.write(
          [
            `Job ${paint("bold", job.id)} of task ${paint("bold", task)}: ${status(job, paint)}`,
            `  triggered by ${job.triggered_by ?? "?"}, created ${when(job.created_at)}${job.started_at ? `, started ${when(job.started_at)}` : ""}${job.completed_at ? `, ended ${when(job.completed_at)}` : ""}`,
            `  step: ${job.progress_step ?? ""}`,
            ...(job.error_message ? [`  error: ${job.error_message}`] : []),
            ...(job.pr_url ? [`  pull request: ${job.pr_url}`] : []),
            ...Object.entries(metadata).map(([k, v]) => `  ${k}: ${plainText(v)}`),
            "",
          ].join("\n"),
        );
        return 0;
      }
      case "cancel": {
        try {
          const job = await cancelJob(
            store,
            jobId(),
            io.env.USER ? `${io.env.USER} (kaizen jobs cancel)` : "kaizen jobs cancel",
          );
          if (values.json) print(job);
          else io.stdout.write(`Cancelled job ${job.id}: ${job.error_message}\n`);
          return 0;
        } catch (error) {
          if (!(error instanceof JobAlreadyEndedError)) throw error;
          io.stderr.write(`${paint("red", "error:")} ${error.message}\n`);
          return 1;
        }
      }
      default:
        throw new CliUsageError(
          action
            ? `unknown action "${action}": use list, show or cancel`
            : "say what to do: list, show or cancel",
        );
    }
  },
};

const when = (iso: string) => iso.slice(0, 19).replace("T", " ");

function status(job: Job, paint: ReturnType<typeof painter>): string {
  if (job.status === "SUCCESS") return paint("green", job.status);
  if (job.status === "FAILED" || job.status === "PR_FAILED") return paint("red", job.status);
  return paint("yellow", job.status);
}
