/**
 * `kaizen prompts list|activate|rollback`: a local task's prompt versions, and the lever that
 * changes which one is served. Activating moves the pointer at once (kaizen serve and
 * getPrompt serve it) and writes the prompt file to the branch kaizen/<task>, to merge after
 * review, so file and pointer agree again.
 */
import path from "node:path";
import { KaizenError, NotFoundError } from "../../core/errors.js";
import type { PromptVersion } from "../../core/records.js";
import {
  activateMergedCandidates,
  activateVersion,
  currentVersions,
  localBranchShipper,
} from "../../jobs/index.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { loadTasks } from "../../store/tasks.js";
import { CliUsageError, parseCommandArgs, type Command } from "../command.js";
import { painter, table } from "../output.js";

export const promptsCommand: Command = {
  usage: `Usage: kaizen prompts list --task NAME [--json] | activate --task NAME VERSION | rollback --task NAME   [--repo DIR] [--json]

Lists every version of a task's prompt (newest first) with its status and score. activate
makes VERSION (its number or id) the one served at once, and writes the prompt file with its
text to branch kaizen/<task> for review; rollback activates the version that was active before.

Example:
  kaizen prompts list --task summarize_ticket
  kaizen prompts activate --task summarize_ticket 3
  kaizen prompts rollback --task summarize_ticket --json`,
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseCommandArgs(
      rest,
      { repo: { type: "string" }, task: { type: "string" }, json: { type: "boolean" } },
      true,
    );
    if (!["list", "activate", "rollback"].includes(action ?? ""))
      throw new CliUsageError(
        action
          ? `unknown action "${action}": use list, activate or rollback`
          : "say what to do: list, activate or rollback",
      );
    if (!values.task) throw new CliUsageError("--task is required: whose prompt versions");
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const config = (await loadTasks(store)).tasks.find((t) => t.name === values.task);
    if (!config)
      throw new NotFoundError(`task ${values.task} not found (or its file has errors): run kaizen validate`);
    const paint = painter(io);
    if (action === "list") {
      // A read: a candidate merged since shows active, and nothing is committed.
      const versions = await currentVersions(store, config.name);
      if (values.json) io.stdout.write(`${JSON.stringify(versions, null, 2)}\n`);
      else if (versions.length === 0)
        io.stdout.write(
          `No versions of ${config.name} recorded yet: ${config.prompt_path ?? "its prompt file"} becomes version 1 when kaizen serve first serves it or an optimization proposes a better one.\n`,
        );
      else
        io.stdout.write(
          `${table([["version", "status", "score", "by", "created", "id"], ...versions.map((v) => [String(v.version_number), v.status === "active" ? paint("green", v.status) : v.status, v.eval_score === null ? "" : `${(v.eval_score * 100).toFixed(1)}%`, v.optimizer ?? "person", v.created_at.slice(0, 19).replace("T", " "), v.id])])}\n`,
        );
      return 0;
    }
    await activateMergedCandidates(store, config.name);
    const versions = await store.listPromptVersions(config.name);
    const target = action === "activate" ? byNumberOrId(versions, positionals[0]) : previousActive(versions);
    const { active, shipped } = await activateVersion(store, localBranchShipper(store), config, target.id);
    if (values.json)
      io.stdout.write(`${JSON.stringify({ active, branch: shipped?.branch ?? null }, null, 2)}\n`);
    else
      io.stdout.write(
        `Version ${active.version_number} of ${config.name} is active now.${shipped ? ` The prompt file is on branch ${paint("bold", shipped.branch)}: merge it to bring ${config.prompt_path} in line.` : ""}\n`,
      );
    return 0;
  },
};

function byNumberOrId(versions: PromptVersion[], given: string | undefined): PromptVersion {
  if (!given) throw new CliUsageError("activate needs a version: its number or id (see kaizen prompts list)");
  const found = versions.find((v) => v.id === given || String(v.version_number) === given);
  if (!found)
    throw new NotFoundError(
      `no version ${given}; versions: ${versions.map((v) => v.version_number).join(", ") || "none"}`,
    );
  return found;
}

/** The newest archived version older than the active one: what was served before it. */
function previousActive(versions: PromptVersion[]): PromptVersion {
  const active = versions.find((v) => v.status === "active");
  const before = versions.find(
    (v) => v.status === "archived" && (!active || v.version_number < active.version_number),
  );
  if (!before)
    throw new KaizenError("nothing to roll back to: no archived version older than the active one");
  return before;
}
