/**
 * `kaizen status`: how each task is doing, at a glance: feedback against its threshold, the
 * active version and its score, the last job and its state.
 */
import path from "node:path";
import { currentVersions } from "../../jobs/index.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { taskOverviews } from "../../store/tasks.js";
import { parseCommandArgs, type Command } from "../command.js";
import { painter, table } from "../output.js";

export const statusCommand: Command = {
  usage: `Usage: kaizen status [--repo DIR] [--json]

One line per task of .kaizen/tasks/: feedback collected against its threshold, the active prompt
version and its score, the last optimization job and its state (and pull request, if any).
Broken task files are listed with the command that explains them.

Example:
  kaizen status
  kaizen status --json | jq '.[] | select(.due)'`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { repo: { type: "string" }, json: { type: "boolean" } });
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    // A person may have merged kaizen/<task> since anything ran: show it active, writing nothing.
    const { overviews, broken } = await taskOverviews(store, (task) => currentVersions(store, task));
    const rows = overviews.map(({ config, state, versions, jobs }) => {
      const active = versions.find((v) => v.status === "active") ?? null;
      const since = state?.feedback_since_optimization ?? 0;
      return {
        task: config.name,
        feedback: state?.feedback_retained ?? 0,
        since_last_optimization: since,
        threshold: config.feedback_threshold,
        due: since >= config.feedback_threshold,
        active_version: active?.version_number ?? null,
        active_score: active?.eval_score ?? null,
        last_job: jobs[0]
          ? {
              id: jobs[0].id,
              status: jobs[0].status,
              step: jobs[0].progress_step,
              pr_url: jobs[0].pr_url,
              error_message: jobs[0].error_message,
            }
          : null,
      };
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const paint = painter(io);
    if (rows.length === 0 && broken.length === 0) {
      io.stdout.write('No task yet: create one with "kaizen init" (it writes .kaizen/tasks/<name>.yml).\n');
      return 0;
    }
    const status = (s: string) =>
      paint(s === "SUCCESS" ? "green" : s === "FAILED" || s === "PR_FAILED" ? "red" : "yellow", s);
    io.stdout.write(
      `${table([
        ["task", "feedback", "threshold", "active prompt", "last job"],
        ...rows.map((r) => [
          r.task,
          String(r.feedback),
          `${r.since_last_optimization}/${r.threshold}${r.due ? ` ${paint("green", "due")}` : ""}`,
          r.active_version === null
            ? "none yet"
            : `v${r.active_version}${r.active_score === null ? "" : ` (${(r.active_score * 100).toFixed(1)}%)`}`,
          r.last_job ? `${status(r.last_job.status)} ${lastJobNote(r.last_job)}` : "none",
        ]),
      ])}\n`,
    );
    for (const b of broken)
      io.stdout.write(
        `${paint("red", "broken:")} ${b.path} (${b.issues.filter((i) => i.severity === "error").length} error(s)); run kaizen validate\n`,
      );
    return 0;
  },
};

/** What to say after a job's status: why it failed, else its pull request, else where it stands. */
function lastJobNote(job: {
  status: string;
  step: string | null;
  pr_url: string | null;
  error_message: string | null;
}) {
  if (job.status === "FAILED" || job.status === "PR_FAILED") return job.error_message ?? job.step ?? "";
  return job.pr_url ?? job.step ?? "";
}
