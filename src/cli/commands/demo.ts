/**
 * `kaizen demo`: Kaizen's main job from start to end on its embedded default, with no key and no
 * network. It makes a demo repository with a prompt, imports a production log of that prompt,
 * runs `kaizen optimize` against the SIMULATED model (an OpenAI-compatible server inside this
 * process, reached through the real gateway and openai SDK), and shows the `kaizen/<task>`
 * branch with the better prompt and the report; then what to do with one's own repository.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  DEMO_FEEDBACK_FILE,
  DEMO_PROMPT_PATH,
  DEMO_REPOSITORY_FILES,
  DEMO_TASK,
  demoFeedbackJsonl,
} from "../../demo/repository.js";
import { startSimulatedModel } from "../../demo/simulated-model.js";
import { initRepository } from "../../store/local-git-store.js";
import { CliUsageError, parseCommandArgs, type CliIo, type Command } from "../command.js";
import { elsewhere, painter } from "../output.js";
import { feedbackCommand } from "./feedback.js";
import { optimizeCommand } from "./optimize.js";

export const demoCommand: Command = {
  usage: `Usage: kaizen demo [--dir DIR]

Makes a demo git repository with one prompt and its task, imports a production log of that
prompt (summaries of support tickets, each scored by a person), runs the optimizer against a
SIMULATED model served inside this process (no API key, no network, no cost), and leaves the
better prompt on the branch kaizen/summarize_ticket with the report. Then says what to do next.

Options:
  --dir DIR   where to make the demo repository (a new, empty directory; default: a temporary one)

Example:
  kaizen demo
  kaizen demo --dir ./kaizen-demo && git -C ./kaizen-demo log --oneline kaizen/summarize_ticket`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { dir: { type: "string" } });
    const paint = painter(io);
    const say = (text: string) => io.stdout.write(`${text}\n`);
    const dir = values.dir
      ? path.resolve(io.cwd, values.dir)
      : await mkdtemp(path.join(tmpdir(), "kaizen-demo-"));
    if (values.dir && existsSync(dir) && (await readdir(dir)).length > 0)
      throw new CliUsageError(`--dir ${values.dir} is not empty: give a new or empty directory`);

    say(`${paint("bold", "Kaizen demo")}: a prompt tuned from its production feedback, start to end.`);
    say(
      `The model is ${paint("yellow", "SIMULATED")}: it runs inside this command (no key, no network, no cost).\n`,
    );
    await initRepository(dir, DEMO_REPOSITORY_FILES);
    say(`${paint("bold", "1. A repository with a prompt")}: ${dir}`);
    say(`   ${DEMO_PROMPT_PATH}: the prompt an app uses today`);
    say(`   .kaizen/tasks/${DEMO_TASK}.yml: its task (models, budget, threshold)\n`);

    await writeFile(path.join(dir, DEMO_FEEDBACK_FILE), demoFeedbackJsonl());
    say(`${paint("bold", "2. Production feedback")}: the prompt's summaries of 120 support tickets,`);
    say(`   each scored by a person (${DEMO_FEEDBACK_FILE}), imported to kaizen/data:`);
    const imported = await feedbackCommand.run(
      ["import", path.join(dir, DEMO_FEEDBACK_FILE), "--task", DEMO_TASK, "--repo", dir],
      io,
    );
    if (imported !== 0) return imported;

    const model = await startSimulatedModel();
    const cacheDir = await mkdtemp(path.join(tmpdir(), "kaizen-demo-cache-"));
    try {
      say(
        `\n${paint("bold", "3. The optimizer")}, with a ${paint("yellow", "simulated")} teacher, judge and student`,
      );
      say(`   (an OpenAI-compatible server at ${model.baseURL}):`);
      const optimized = await optimizeCommand.run(
        ["--task", DEMO_TASK, "--repo", dir, "--seed", "kaizen-demo"],
        simulatedIo(io, model.baseURL, cacheDir),
      );
      if (optimized !== 0) return optimized;
    } finally {
      await model.close();
      await rm(cacheDir, { recursive: true, force: true });
    }

    const branch = `kaizen/${DEMO_TASK}`;
    const better = await git(dir, "show", `${branch}:${DEMO_PROMPT_PATH}`).catch(() => null);
    if (better === null) say(`\nNo better prompt this time: the report above says why.`);
    else {
      say(
        `\n${paint("bold", "4. The better prompt")}, ${DEMO_PROMPT_PATH} on branch ${paint("bold", branch)}:`,
      );
      say(better.trimEnd().replace(/^/gm, "   "));
    }
    say(nextSteps(elsewhere(io.cwd, dir), paint));
    return 0;
  },
};

/** The optimizer's I/O, with the simulated model as its only model endpoint and a throwaway cache. */
function simulatedIo(io: CliIo, baseURL: string, cacheDir: string): CliIo {
  return {
    ...io,
    env: { ...io.env, OPENAI_API_KEY: "simulated", OPENAI_BASE_URL: baseURL, XDG_CACHE_HOME: cacheDir },
  };
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await promisify(execFile)("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
}

function nextSteps(where: ReturnType<typeof elsewhere>, paint: ReturnType<typeof painter>): string {
  return [
    "",
    paint("bold", "Next, with your own repository:"),
    "  1. install Kaizen in it (README: Install it in your own project), then:",
    "       npx kaizen init",
    "  2. import what your prompt did in production:",
    "       npx kaizen feedback import FILE.jsonl --task NAME",
    "  3. optimize it with your own models:",
    "       OPENAI_API_KEY=… npx kaizen optimize --task NAME",
    "  4. let GitHub run it on a schedule: the Action, then the App (docs/quickstart.md)",
    "",
    "The demo repository stays, to look around in:",
    `  npx kaizen status${where.repo}`,
    `  ${where.git} diff main...kaizen/${DEMO_TASK}`,
    `  ${where.git} log --oneline --all`,
    "",
  ].join("\n");
}
