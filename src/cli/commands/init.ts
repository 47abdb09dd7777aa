/**
 * `kaizen init`: from "we have a prompt in our repo" to a Kaizen task. Lists the prompt files it
 * finds and asks (or takes flags for) the prompt file, its format, the task name, a description,
 * how outputs are scored, the threshold, the budget and the models; notices Python-style
 * `{name}` placeholders; writes `.kaizen/tasks/<name>.yml` and the workflow. A bad answer is
 * explained and asked again. Never overwrites a file without asking; `--yes` takes every default.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { DEFAULT_MODELS } from "../../core/defaults.js";
import { formatConfigIssue } from "../../core/errors.js";
import {
  PROMPT_FORMATS,
  promptPathProblem,
  TASK_NAME_PATTERN,
  type PromptFormat,
} from "../../core/task-config-schema.js";
import { loadTaskConfig, parseTaskConfig } from "../../core/task-config.js";
import { detectPromptFormat, placeholders, readPrompt, writePrompt } from "../../render/index.js";
import { TASKS_DIR } from "../../store/layout.js";
import { CliUsageError, parseCommandArgs, type Command } from "../command.js";
import { painter } from "../output.js";
import { findPromptFiles, MAX_SHOWN, PYTHON_PLACEHOLDER, pythonPlaceholders } from "../prompt-files.js";
import { Asker, type Parsed } from "../questions.js";
import { priceHint, unpricedModels } from "../unpriced-models.js";
import { kaizenWorkflow } from "../workflow-template.js";

const EVALUATORS = {
  llm_judge: "a judge model scores them",
  exact_match: "equal to the expected output",
  json_schema: "valid JSON for the task's schema",
} as const;
type EvaluatorChoice = keyof typeof EVALUATORS;

export const initCommand: Command = {
  usage: `Usage: kaizen init [--prompt PATH] [--task NAME] [--format F] [--description TEXT]
                   [--evaluator llm_judge|exact_match|json_schema] [--threshold N] [--budget USD]
                   [--teacher-model M] [--judge-model M] [--student-model M]
                   [--convert-placeholders] [--yes] [--repo DIR]

Writes .kaizen/tasks/<name>.yml for the prompt at PATH (its format and {{placeholders}} detected
from the file) and .github/workflows/kaizen.yml. In a terminal it lists the prompt files it finds
and asks for what no flag gives; --yes takes the defaults and overwrites existing files.
--convert-placeholders rewrites Python-style {name} placeholders as {{name}}.

Example:
  kaizen init
  kaizen init --prompt prompts/summarize.md --task summarize_ticket --threshold 100 --yes`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      prompt: { type: "string" },
      task: { type: "string" },
      format: { type: "string" },
      description: { type: "string" },
      evaluator: { type: "string" },
      threshold: { type: "string" },
      budget: { type: "string" },
      "teacher-model": { type: "string" },
      "judge-model": { type: "string" },
      "student-model": { type: "string" },
      "convert-placeholders": { type: "boolean" },
      yes: { type: "boolean" },
      repo: { type: "string" },
    });
    const root = path.resolve(io.cwd, values.repo ?? ".");
    const yes = values.yes ?? false;
    const ask = new Asker(io, yes);
    const paint = painter(io);
    try {
      const found = values.prompt === undefined ? await findPromptFiles(root) : [];
      if (ask.interactive && found.length > 0) {
        io.stdout.write("Prompt files in this repository:\n");
        found.slice(0, MAX_SHOWN).forEach((f, i) => io.stdout.write(`  ${i + 1}. ${f}\n`));
        if (found.length > MAX_SHOWN) io.stdout.write(`  … and ${found.length - MAX_SHOWN} more\n`);
      }
      if (!ask.interactive && values.prompt === undefined && found.length > 1)
        throw new CliUsageError(
          `which prompt? Found ${found.length}: ${found.slice(0, MAX_SHOWN).join(", ")}${found.length > MAX_SHOWN ? ", …" : ""}; pass one with --prompt`,
        );
      const promptPath = await ask.ask(
        {
          flag: "prompt",
          text:
            found.length > 0
              ? "Prompt file (a number above, or a path)"
              : "Prompt file (a path in the repository)",
          fallback: found.length === 1 || (ask.interactive && found.length > 0) ? "1" : null,
          parse: (answer) => promptFileAnswer(root, answer, found),
        },
        values.prompt,
      );
      let text = await readFile(path.join(root, promptPath), "utf8");

      const format = await ask.ask(
        {
          flag: "format",
          text: `Prompt format (${PROMPT_FORMATS.join(", ")})`,
          fallback: detectPromptFormat(promptPath, text),
          parse: (answer) => formatAnswer(answer, text),
        },
        values.format,
      );
      let template = readPrompt(text, format);
      const python = pythonPlaceholders(template);
      if (placeholders(template).length === 0 && python.length > 0) {
        const names = python.map((p) => `{${p}}`).join(", ");
        io.stdout.write(
          `The prompt has Python-style placeholders (${names}); Kaizen fills {{name}} placeholders, so as it is the optimizer would run the prompt without your inputs.\n`,
        );
        const convert =
          values["convert-placeholders"] ||
          (await ask.confirm(
            `Rewrite them as ${python.map((p) => `{{${p}}}`).join(", ")} in ${promptPath}? (your code then fills {{name}}, e.g. with Jinja2 or str.replace)`,
            false,
          ));
        if (convert) {
          template = template.replace(PYTHON_PLACEHOLDER, "{{$1}}");
          text = writePrompt(text, format, template);
          await writeFile(path.join(root, promptPath), text);
          io.stdout.write(`${paint("green", "rewrote")} ${promptPath}: ${names} → {{…}}\n`);
        } else
          io.stdout.write(
            `${paint("yellow", "kept")} ${promptPath} as it is (kaizen init --convert-placeholders rewrites it later).\n`,
          );
      }
      const slots = placeholders(template);

      const defaultName = path
        .basename(promptPath)
        .replace(/\.[^.]+$/, "")
        .replace(/[^A-Za-z0-9_-]/g, "_")
        .replace(/^[^A-Za-z0-9]+/, "");
      const task = await ask.ask(
        { flag: "task", text: "Task name", fallback: defaultName || "my_task", parse: taskNameAnswer },
        values.task,
      );
      const description = await ask.ask(
        {
          flag: "description",
          text: "What the prompt is for, in a sentence (the teacher and the judge read it; Enter skips)",
          fallback: "",
          parse: (answer) => ({ value: answer === "" ? null : answer }),
        },
        values.description,
      );
      const evaluator = await ask.ask(
        {
          flag: "evaluator",
          text: `How outputs are scored (${Object.entries(EVALUATORS)
            .map(([name, what]) => `${name}: ${what}`)
            .join("; ")})`,
          fallback: "llm_judge",
          parse: evaluatorAnswer,
        },
        values.evaluator,
      );
      const threshold = await ask.ask(
        {
          flag: "threshold",
          text: "Feedback entries that start each optimization",
          fallback: "50",
          parse: thresholdAnswer,
        },
        values.threshold,
      );
      const budget = await ask.ask(
        {
          flag: "budget",
          text: "The most one optimization may spend on model calls, in US dollars",
          fallback: "2",
          parse: budgetAnswer,
        },
        values.budget,
      );
      const model = (flag: string, text: string, fallback: string) =>
        ask.ask({ flag, text, fallback, parse: modelAnswer }, values[flag as "teacher-model"]);
      const teacher = await model(
        "teacher-model",
        "Teacher model (proposes prompts)",
        DEFAULT_MODELS.teacher,
      );
      const judge =
        evaluator === "llm_judge"
          ? await model("judge-model", "Judge model (scores outputs)", DEFAULT_MODELS.judge)
          : null;
      const student = await model(
        "student-model",
        "Student model (runs the prompt in production)",
        DEFAULT_MODELS.student,
      );

      const config = {
        name: task,
        ...(description ? { description } : {}),
        prompt_path: promptPath,
        prompt_format: format,
        feedback_threshold: threshold,
        cost_budget: budget,
        evaluator_config: { evaluators: [{ type: evaluator }] },
        teacher_model: teacher,
        ...(judge ? { judge_model: judge } : {}),
        student_model: student,
      };
      const taskFile = `${TASKS_DIR}/${task}.yml`;
      const yaml = `${taskFileHeader(root)}${stringify(config)}`;
      const issues = parseTaskConfig(yaml, taskFile).issues.filter((i) => i.severity === "error");
      if (issues.length > 0) throw new CliUsageError(issues.map(formatConfigIssue).join("\n"));
      const unpriced = unpricedModels(loadTaskConfig(yaml, taskFile), io.env.OPENAI_BASE_URL);

      const written: string[] = [];
      const workflowFile = ".github/workflows/kaizen.yml";
      const workflow = kaizenWorkflow([...(await otherPromptPaths(root, taskFile)), promptPath]);
      for (const [file, content] of [
        [taskFile, yaml],
        [workflowFile, workflow],
      ] as const) {
        const target = path.join(root, file);
        if (
          existsSync(target) &&
          (await readFile(target, "utf8")) !== content &&
          !(await ask.confirm(`${file} exists; overwrite it?`, false, yes))
        ) {
          io.stdout.write(`${paint("yellow", "kept")} ${file} (it exists; --yes overwrites)\n`);
          // The kept workflow evaluates only the pull requests its `paths:` filter names.
          if (file === workflowFile && !(await readFile(target, "utf8")).includes(promptPath))
            io.stdout.write(
              `${paint("yellow", "Note:")} add "${promptPath}" to on.pull_request.paths in ${file}, or pull requests that edit it get no prompt evaluation\n`,
            );
          continue;
        }
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
        written.push(file);
        io.stdout.write(`${paint("green", "wrote")} ${file}\n`);
      }
      if (unpriced.length > 0) io.stdout.write(`${paint("yellow", "Note:")} ${priceHint(unpriced)}\n`);
      io.stdout.write(nextSteps(task, promptPath, format, slots, written, paint));
      return 0;
    } finally {
      ask.close();
    }
  },
};

/**
 * The prompt files of the repository's other tasks (their files as they stand in the working
 * tree; one that does not parse is skipped: `kaizen validate` names its errors), so the
 * workflow's `paths:` filter covers every task, not only the one being set up.
 */
async function otherPromptPaths(root: string, taskFile: string): Promise<string[]> {
  const files = await readdir(path.join(root, TASKS_DIR)).catch(() => [] as string[]);
  const paths: string[] = [];
  for (const name of files.filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = `${TASKS_DIR}/${name}`;
    if (file === taskFile) continue;
    try {
      const config = loadTaskConfig(await readFile(path.join(root, file), "utf8"), file);
      if (config.prompt_path) paths.push(config.prompt_path);
    } catch {
      // Not a task file Kaizen can read; validate reports it.
    }
  }
  return paths;
}

function promptFileAnswer(root: string, answer: string, found: readonly string[]): Parsed<string> {
  const file = /^\d+$/.test(answer) ? found[Number(answer) - 1] : answer.replace(/^\.\//, "");
  if (file === undefined) return { problem: `there is no number ${answer} in the list` };
  const problem = promptPathProblem(file);
  if (problem) return { problem: `the path ${problem}` };
  if (!existsSync(path.join(root, file))) return { problem: `there is no file ${file} in ${root}` };
  return { value: file };
}

function formatAnswer(answer: string, text: string): Parsed<PromptFormat> {
  const format = answer.toLowerCase() as PromptFormat;
  if (!PROMPT_FORMATS.includes(format))
    return { problem: `the format is one of ${PROMPT_FORMATS.join(", ")}` };
  try {
    readPrompt(text, format);
    return { value: format };
  } catch (error) {
    return { problem: `the file cannot be read as ${format}: ${(error as Error).message}` };
  }
}

function taskNameAnswer(answer: string): Parsed<string> {
  return TASK_NAME_PATTERN.test(answer)
    ? { value: answer }
    : { problem: "a task name starts with a letter or digit and has only letters, digits, '_' and '-'" };
}

function evaluatorAnswer(answer: string): Parsed<EvaluatorChoice> {
  return answer in EVALUATORS
    ? { value: answer as EvaluatorChoice }
    : { problem: `the way to score is one of ${Object.keys(EVALUATORS).join(", ")}` };
}

function thresholdAnswer(answer: string): Parsed<number> {
  const value = Number(answer);
  return Number.isInteger(value) && value >= 1
    ? { value }
    : { problem: "the number of feedback entries is a whole number, 1 or more (e.g. 50)" };
}

function budgetAnswer(answer: string): Parsed<number> {
  const value = Number(answer.replace(/^\$/, ""));
  return answer.trim() !== "" && Number.isFinite(value) && value > 0
    ? { value }
    : { problem: "the budget is an amount of US dollars above 0 (e.g. 2 or 0.50)" };
}

function modelAnswer(answer: string): Parsed<string> {
  return /^\S+$/.test(answer)
    ? { value: answer }
    : { problem: "a model name has no spaces (e.g. gpt-4o-mini)" };
}

/**
 * The task file's first lines: where every field is explained, as a path that exists in the
 * repository (Kaizen's package installed in its node_modules), with the schema for editors.
 */
function taskFileHeader(root: string): string {
  const docs = packageDocs();
  const inRepository = docs && !path.relative(root, docs).startsWith("..");
  if (!inRepository)
    return "# A Kaizen task. Every field: docs/task-configuration.md of the kaizen-prompts package.\n# Check it with: npx kaizen validate\n";
  const fromTasks = (file: string) =>
    path.relative(path.join(root, TASKS_DIR), path.join(docs, file)).split(path.sep).join("/");
  return `# yaml-language-server: $schema=${fromTasks("task.schema.json")}\n# A Kaizen task. Every field: ${path.relative(root, path.join(docs, "task-configuration.md")).split(path.sep).join("/")}\n# Check it with: npx kaizen validate\n`;
}

/** The docs/ folder of the installed Kaizen package, found from this file upwards. */
function packageDocs(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      existsSync(path.join(dir, "package.json")) &&
      existsSync(path.join(dir, "docs", "task-configuration.md"))
    )
      return path.join(dir, "docs");
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function nextSteps(
  task: string,
  promptPath: string,
  format: PromptFormat,
  slots: readonly string[],
  written: readonly string[],
  paint: ReturnType<typeof painter>,
): string {
  return [
    "",
    `Task ${paint("bold", task)}: ${promptPath} (${format}), placeholders ${slots.length ? slots.map((s) => `{{${s}}}`).join(", ") : "none"}.`,
    "Next:",
    "  1. check it: npx kaizen validate",
    `  2. commit ${written.length ? written.join(" and ") : "the files"} (Kaizen reads tasks from the default branch)`,
    `  3. give it feedback: npx kaizen feedback import FILE.jsonl --task ${task}`,
    `     or from your app: kaizen.logFeedback({ taskId: "${task}", inputs, output, score })`,
    `  4. optimize it here: OPENAI_API_KEY=… npx kaizen optimize --task ${task}`,
    "     or in GitHub: add the OPENAI_API_KEY secret (Settings → Secrets and variables → Actions) and push",
    "",
  ].join("\n");
}
