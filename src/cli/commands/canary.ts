/**
 * `kaizen canary status|promote|stop --task NAME`: the online canary of a local repository's
 * newest candidate. status prints the figures; stop serves every unit the active version from
 * now on; promote records the decision and activates the candidate (its prompt file goes to
 * branch kaizen/<task> for review, as `kaizen prompts activate` does).
 */
import path from "node:path";
import { NotFoundError } from "../../core/errors.js";
import { activateMergedCandidates, activateVersion, localBranchShipper } from "../../jobs/index.js";
import { canaryText } from "../../render/canary.js";
import { decideCanary, readCanaryView } from "../../store/canary-state.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { loadTasks } from "../../store/tasks.js";
import { CliUsageError, parseCommandArgs, type Command } from "../command.js";

const ACTIONS = ["status", "promote", "stop"] as const;

export const canaryCommand: Command = {
  usage: `Usage: kaizen canary status|promote|stop --task NAME [--repo DIR] [--json]

The online canary of a task's newest candidate (the task file's \`canary:\`): status shows both
arms, the difference with its interval and the decision; stop serves every unit the active
version from now on; promote records the decision and makes the candidate active.

Example:
  kaizen canary status --task summarize_ticket
  kaizen canary stop --task summarize_ticket --json`,
  async run(args, io) {
    const [action, ...rest] = args;
    const { values } = parseCommandArgs(rest, {
      repo: { type: "string" },
      task: { type: "string" },
      json: { type: "boolean" },
    });
    if (!ACTIONS.includes(action as never))
      throw new CliUsageError(
        action
          ? `unknown action "${action}": use status, promote or stop`
          : "say what to do: status, promote or stop",
      );
    if (!values.task) throw new CliUsageError("--task is required: whose canary");
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const config = (await loadTasks(store)).tasks.find((t) => t.name === values.task);
    if (!config)
      throw new NotFoundError(`task ${values.task} not found (or its file has errors): run kaizen validate`);
    if (!config.canary)
      throw new NotFoundError(
        `task ${config.name} has no canary: add \`canary: { share: 0.1 }\` to .kaizen/tasks/${config.name}.yml`,
      );
    await activateMergedCandidates(store, config.name);
    if (action !== "status") {
      const state = await decideCanary(store, config.name, config.canary, action as "promote" | "stop");
      if (action === "promote")
        await activateVersion(store, localBranchShipper(store), config, state.candidate_version_id);
    }
    const figures = (await readCanaryView(store, config, await store.listPromptVersions(config.name)))!;
    io.stdout.write(values.json ? `${JSON.stringify(figures, null, 2)}\n` : `${canaryText(figures)}\n`);
    return 0;
  },
};
