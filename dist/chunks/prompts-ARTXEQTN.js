import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  activateMergedCandidates,
  activateVersion,
  localBranchShipper
} from "./chunk-ZA56Q3X5.js";
import "./chunk-APVKA7BG.js";
import "./chunk-EHX4BM5X.js";
import {
  LocalGitStore
} from "./chunk-HQNAUYHO.js";
import {
  painter,
  table
} from "./chunk-WIQSA56B.js";
import {
  CliUsageError,
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import "./chunk-H57QFYJN.js";
import {
  loadTasks
} from "./chunk-A3WLGUKI.js";
import "./chunk-U323PJSG.js";
import "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import {
  KaizenError,
  NotFoundError
} from "./chunk-4CXYVOQZ.js";

// src/cli/commands/prompts.ts
import path from "node:path";
var promptsCommand = {
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
      true
    );
    if (!["list", "activate", "rollback"].includes(action ?? ""))
      throw new CliUsageError(
        action ? `unknown action "${action}": use list, activate or rollback` : "say what to do: list, activate or rollback"
      );
    if (!values.task) throw new CliUsageError("--task is required: whose prompt versions");
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const config = (await loadTasks(store)).tasks.find((t) => t.name === values.task);
    if (!config)
      throw new NotFoundError(`task ${values.task} not found (or its file has errors): run kaizen validate`);
    const paint = painter(io);
    await activateMergedCandidates(store, config.name);
    const versions = await store.listPromptVersions(config.name);
    if (action === "list") {
      if (values.json) io.stdout.write(`${JSON.stringify(versions, null, 2)}
`);
      else if (versions.length === 0)
        io.stdout.write(
          `No versions of ${config.name} recorded yet: ${config.prompt_path ?? "its prompt file"} becomes version 1 when kaizen serve first serves it or an optimization proposes a better one.
`
        );
      else
        io.stdout.write(
          `${table([["version", "status", "score", "by", "created", "id"], ...versions.map((v) => [String(v.version_number), v.status === "active" ? paint("green", v.status) : v.status, v.eval_score === null ? "" : `${(v.eval_score * 100).toFixed(1)}%`, v.optimizer ?? "person", v.created_at.slice(0, 19).replace("T", " "), v.id])])}
`
        );
      return 0;
    }
    const target = action === "activate" ? byNumberOrId(versions, positionals[0]) : previousActive(versions);
    const { active, shipped } = await activateVersion(store, localBranchShipper(store), config, target.id);
    if (values.json)
      io.stdout.write(`${JSON.stringify({ active, branch: shipped?.branch ?? null }, null, 2)}
`);
    else
      io.stdout.write(
        `Version ${active.version_number} of ${config.name} is active now.${shipped ? ` The prompt file is on branch ${paint("bold", shipped.branch)}: merge it to bring ${config.prompt_path} in line.` : ""}
`
      );
    return 0;
  }
};
function byNumberOrId(versions, given) {
  if (!given) throw new CliUsageError("activate needs a version: its number or id (see kaizen prompts list)");
  const found = versions.find((v) => v.id === given || String(v.version_number) === given);
  if (!found)
    throw new NotFoundError(
      `no version ${given}; versions: ${versions.map((v) => v.version_number).join(", ") || "none"}`
    );
  return found;
}
function previousActive(versions) {
  const active = versions.find((v) => v.status === "active");
  const before = versions.find(
    (v) => v.status === "archived" && (!active || v.version_number < active.version_number)
  );
  if (!before)
    throw new KaizenError("nothing to roll back to: no archived version older than the active one");
  return before;
}
export {
  promptsCommand
};
