/**
 * `kaizen init`: from "we have a prompt in our repo" to a Kaizen task. Asks (or takes flags for)
 * the task name, the prompt file, its format, the models and the threshold; detects the format
 * and placeholders from the file; writes `.kaizen/tasks/<name>.yml` and the workflow. Never
 * overwrites a file without asking; `--yes` answers yes for scripts.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { stringify } from "yaml";
import { DEFAULT_MODELS } from "../../core/defaults.js";
import { formatConfigIssue } from "../../core/errors.js";
import {
  PROMPT_FORMATS,
  promptPathProblem,
  TASK_NAME_PATTERN,
  type PromptFormat,
} from "../../core/task-config-schema.js";
import { parseTaskConfig } from "../../core/task-config.js";
import { detectPromptFormat, placeholders, readPrompt } from "../../render/index.js";
import { TASKS_DIR } from "../../store/layout.js";
import { CliUsageError, numberOption, parseCommandArgs, type CliIo, type Command } from "../command.js";
import { painter } from "../output.js";
import { KAIZEN_WORKFLOW } from "../workflow-template.js";

export const initCommand: Command = {
  name: "init",
  summary: "set up a task for a prompt in this repository, and the workflow that tunes it",
  usage: `Usage: kaizen init [--prompt PATH] [--task NAME] [--format F] [--threshold N]
                   [--teacher-model M] [--judge-model M] [--student-model M] [--yes] [--repo DIR]

Writes .kaizen/tasks/<name>.yml for the prompt at PATH (its format and {{placeholders}} detected
from the file) and .github/workflows/kaizen.yml. Asks for what is not given when run in a
terminal; --yes takes the defaults and overwrites existing files without asking.

Example:
  kaizen init
  kaizen init --prompt prompts/summarize.md --task summarize_ticket --threshold 100 --yes`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      prompt: { type: "string" },
      task: { type: "string" },
      format: { type: "string" },
      threshold: { type: "string" },
      "teacher-model": { type: "string" },
      "judge-model": { type: "string" },
      "student-model": { type: "string" },
      yes: { type: "boolean" },
      repo: { type: "string" },
    });
    const root = path.resolve(io.cwd, values.repo ?? ".");
    const ask = asker(io, values.yes ?? false);
    const paint = painter(io);

    const promptPath = values.prompt ?? (await ask.text("Prompt file (relative to the repository)", null));
    if (!promptPath) throw new CliUsageError("--prompt is required: the file that holds the prompt");
    const pathProblem = promptPathProblem(promptPath);
    if (pathProblem) throw new CliUsageError(`--prompt ${pathProblem}`);
    let text: string;
    try {
      text = await readFile(path.join(root, promptPath), "utf8");
    } catch {
      throw new CliUsageError(`the prompt file ${promptPath} does not exist in ${root}`);
    }
    const detected = detectPromptFormat(promptPath, text);
    const format = (values.format ??
      (await ask.text(`Prompt format (${PROMPT_FORMATS.join(", ")})`, detected))) as PromptFormat;
    if (!PROMPT_FORMATS.includes(format))
      throw new CliUsageError(`--format must be one of ${PROMPT_FORMATS.join(", ")}, got "${format}"`);
    const template = readPrompt(text, format);
    const slots = placeholders(template);

    const defaultName = path
      .basename(promptPath)
      .replace(/\.[^.]+$/, "")
      .replace(/[^A-Za-z0-9_-]/g, "_");
    const task = values.task ?? (await ask.text("Task name", defaultName)) ?? defaultName;
    if (!TASK_NAME_PATTERN.test(task))
      throw new CliUsageError(
        `--task "${task}" must start with a letter or digit and use only letters, digits, '_' and '-'`,
      );
    const threshold = numberOption(
      "threshold",
      values.threshold ?? (await ask.text("Feedback entries before each optimization", "50")) ?? undefined,
      50,
      1,
    );
    const models = {
      teacher:
        values["teacher-model"] ??
        (await ask.text("Teacher model (proposes prompts)", DEFAULT_MODELS.teacher)) ??
        DEFAULT_MODELS.teacher,
      judge:
        values["judge-model"] ??
        (await ask.text("Judge model (scores outputs)", DEFAULT_MODELS.judge)) ??
        DEFAULT_MODELS.judge,
      student:
        values["student-model"] ??
        (await ask.text("Student model (runs the prompt in production)", DEFAULT_MODELS.student)) ??
        DEFAULT_MODELS.student,
    };

    const config = {
      name: task,
      prompt_path: promptPath,
      prompt_format: format,
      feedback_threshold: Math.round(threshold),
      teacher_model: models.teacher,
      judge_model: models.judge,
      student_model: models.student,
    };
    const taskFile = `${TASKS_DIR}/${task}.yml`;
    const yaml = `# Kaizen task: see docs/task-configuration.md for every field.\n${stringify(config)}`;
    const issues = parseTaskConfig(yaml, taskFile).issues;
    if (issues.length > 0) throw new CliUsageError(issues.map(formatConfigIssue).join("\n"));

    const written: string[] = [];
    for (const [file, content] of [
      [taskFile, yaml],
      [".github/workflows/kaizen.yml", KAIZEN_WORKFLOW],
    ] as const) {
      const target = path.join(root, file);
      if (
        existsSync(target) &&
        (await readFile(target, "utf8")) !== content &&
        !(await ask.confirm(`${file} exists; overwrite it?`))
      ) {
        io.stdout.write(`${paint("yellow", "kept")} ${file} (it exists; --yes overwrites)\n`);
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
      written.push(file);
      io.stdout.write(`${paint("green", "wrote")} ${file}\n`);
    }
    ask.close();
    io.stdout.write(
      [
        "",
        `Task ${paint("bold", task)}: ${promptPath} (${format}), placeholders ${slots.length ? slots.map((s) => `{{${s}}}`).join(", ") : "none"}.`,
        "Next:",
        `  1. commit ${written.length ? written.join(" and ") : "the files"} and push`,
        "  2. add the OPENAI_API_KEY secret to the repository (Settings → Secrets and variables → Actions)",
        `  3. log feedback from your app: kaizen.logFeedback({ taskId: "${task}", inputs, output, score })`,
        "  4. review the pull request Kaizen opens once the threshold is reached",
        "",
      ].join("\n"),
    );
    return 0;
  },
};

/** Questions on a terminal; defaults (and yes) in scripts and with --yes. */
function asker(io: CliIo, yes: boolean) {
  const interactive = !yes && io.isTTY && (io.stdin as { isTTY?: boolean }).isTTY === true;
  const rl = interactive ? createInterface({ input: io.stdin, output: io.stdout }) : null;
  return {
    async text(question: string, fallback: string | null): Promise<string | null> {
      if (!rl) return fallback;
      const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ""}: `)).trim();
      return answer || fallback;
    },
    async confirm(question: string): Promise<boolean> {
      if (yes) return true;
      if (!rl) return false;
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    },
    close: () => rl?.close(),
  };
}
