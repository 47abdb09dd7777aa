import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  MAX_SHOWN,
  PYTHON_PLACEHOLDER,
  findPromptFiles,
  priceHint,
  pythonPlaceholders,
  unpricedModels
} from "./chunk-JF6KD2HQ.js";
import {
  DEFAULT_MODELS,
  detectPromptFormat,
  placeholders,
  readPrompt,
  writePrompt
} from "./chunk-EHX4BM5X.js";
import {
  painter
} from "./chunk-WIQSA56B.js";
import {
  CliUsageError,
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import {
  PROMPT_FORMATS,
  TASKS_DIR,
  TASK_NAME_PATTERN,
  loadTaskConfig,
  parseTaskConfig,
  promptPathProblem,
  require_dist
} from "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import {
  KaizenError,
  __toESM,
  formatConfigIssue
} from "./chunk-4CXYVOQZ.js";

// src/cli/commands/init.ts
var import_yaml = __toESM(require_dist(), 1);
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

// src/cli/questions.ts
import { createInterface } from "node:readline";
var Asker = class {
  interactive;
  #io;
  #rl;
  #lines = [];
  #waiting = null;
  #ended = false;
  constructor(io, yes) {
    this.#io = io;
    this.interactive = !yes && io.isTTY && io.stdin.isTTY === true;
    this.#rl = this.interactive ? createInterface({ input: io.stdin, output: io.stdout, terminal: true }) : null;
    this.#rl?.on("line", (line) => this.#deliver(line));
    this.#rl?.on("close", () => {
      this.#ended = true;
      this.#deliver(null);
    });
    this.#rl?.on("SIGINT", () => {
      this.#io.stdout.write("\n");
      this.#rl?.close();
    });
  }
  #deliver(line) {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting(line);
    else if (line !== null) this.#lines.push(line);
  }
  #readLine(prompt) {
    const queued = this.#lines.shift();
    if (queued === void 0 && this.#ended) return Promise.resolve(null);
    if (this.#ended) this.#io.stdout.write(`${prompt}
`);
    else {
      this.#rl.setPrompt(prompt);
      this.#rl.prompt();
    }
    if (queued !== void 0) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiting = resolve);
  }
  /** The answer to `question`: from its flag when given, else asked (or its default). */
  async ask(question, given) {
    if (given !== void 0) {
      const parsed = await question.parse(given);
      if ("problem" in parsed) throw new CliUsageError(`--${question.flag} "${given}": ${parsed.problem}`);
      return parsed.value;
    }
    if (!this.#rl) {
      if (question.fallback === null)
        throw new CliUsageError(`${question.text}: no answer outside a terminal; pass --${question.flag}`);
      const parsed = await question.parse(question.fallback);
      if ("problem" in parsed)
        throw new CliUsageError(`${question.text}: ${parsed.problem}; pass --${question.flag}`);
      return parsed.value;
    }
    for (; ; ) {
      const line = await this.#readLine(
        `${question.text}${question.fallback ? ` [${question.fallback}]` : ""}: `
      );
      if (line === null)
        throw new KaizenError(`stopped: no answer to "${question.text}"; nothing was written`);
      const answer = line.trim() || question.fallback;
      if (answer === null) {
        this.#io.stdout.write("  An answer is needed here.\n");
        continue;
      }
      const parsed = await question.parse(answer);
      if ("value" in parsed) return parsed.value;
      this.#io.stdout.write(`  ${parsed.problem}. Try again (Ctrl-C stops).
`);
    }
  }
  /** Yes or no; `fallbackYes` on Enter, and outside a terminal (--yes: always yes). */
  async confirm(text, fallbackYes, yes = false) {
    if (yes) return true;
    if (!this.#rl) return fallbackYes;
    for (; ; ) {
      const line = await this.#readLine(`${text} [${fallbackYes ? "Y/n" : "y/N"}] `);
      if (line === null) throw new KaizenError(`stopped: no answer to "${text}"; nothing more was written`);
      const answer = line.trim();
      if (answer === "") return fallbackYes;
      if (/^y(es)?$/i.test(answer)) return true;
      if (/^no?$/i.test(answer)) return false;
      this.#io.stdout.write("  Answer y or n.\n");
    }
  }
  close() {
    this.#rl?.close();
  }
};

// src/cli/workflow-template.ts
var KAIZEN_WORKFLOW = `name: Kaizen
on:
  schedule:
    - cron: "17 3 * * *"
  workflow_dispatch:
    inputs:
      task: { type: string, required: false }
      job-id: { type: string, required: false }
  repository_dispatch:
    types: [kaizen-optimize]
  pull_request:
    types: [opened, synchronize, reopened]
permissions:
  contents: write
  pull-requests: write
  issues: write
jobs:
  plan:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    outputs:
      tasks: \${{ steps.plan.outputs.tasks }}
    steps:
      - id: plan
        uses: kaizen/optimize@v1
        with: { mode: plan }
  optimize:
    needs: plan
    if: needs.plan.outputs.tasks != '[]'
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        task: \${{ fromJSON(needs.plan.outputs.tasks) }}
    steps:
      - uses: kaizen/optimize@v1
        with:
          task: \${{ matrix.task }}
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
  evaluate:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: read
      checks: write
    steps:
      - uses: kaizen/optimize@v1
        with:
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
          max-cost-usd: "0.50"
`;

// src/cli/commands/init.ts
var EVALUATORS = {
  llm_judge: "a judge model scores them",
  exact_match: "equal to the expected output",
  json_schema: "valid JSON for the task's schema"
};
var initCommand = {
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
      repo: { type: "string" }
    });
    const root = path.resolve(io.cwd, values.repo ?? ".");
    const yes = values.yes ?? false;
    const ask = new Asker(io, yes);
    const paint = painter(io);
    try {
      const found = values.prompt === void 0 ? await findPromptFiles(root) : [];
      if (ask.interactive && found.length > 0) {
        io.stdout.write("Prompt files in this repository:\n");
        found.slice(0, MAX_SHOWN).forEach((f, i) => io.stdout.write(`  ${i + 1}. ${f}
`));
        if (found.length > MAX_SHOWN) io.stdout.write(`  \u2026 and ${found.length - MAX_SHOWN} more
`);
      }
      if (!ask.interactive && values.prompt === void 0 && found.length > 1)
        throw new CliUsageError(
          `which prompt? Found ${found.length}: ${found.slice(0, MAX_SHOWN).join(", ")}${found.length > MAX_SHOWN ? ", \u2026" : ""}; pass one with --prompt`
        );
      const promptPath = await ask.ask(
        {
          flag: "prompt",
          text: found.length > 0 ? "Prompt file (a number above, or a path)" : "Prompt file (a path in the repository)",
          fallback: found.length === 1 || ask.interactive && found.length > 0 ? "1" : null,
          parse: (answer) => promptFileAnswer(root, answer, found)
        },
        values.prompt
      );
      let text = await readFile(path.join(root, promptPath), "utf8");
      const format = await ask.ask(
        {
          flag: "format",
          text: `Prompt format (${PROMPT_FORMATS.join(", ")})`,
          fallback: detectPromptFormat(promptPath, text),
          parse: (answer) => formatAnswer(answer, text)
        },
        values.format
      );
      let template = readPrompt(text, format);
      const python = pythonPlaceholders(template);
      if (placeholders(template).length === 0 && python.length > 0) {
        const names = python.map((p) => `{${p}}`).join(", ");
        io.stdout.write(
          `The prompt has Python-style placeholders (${names}); Kaizen fills {{name}} placeholders, so as it is the optimizer would run the prompt without your inputs.
`
        );
        const convert = values["convert-placeholders"] || await ask.confirm(
          `Rewrite them as ${python.map((p) => `{{${p}}}`).join(", ")} in ${promptPath}? (your code then fills {{name}}, e.g. with Jinja2 or str.replace)`,
          false
        );
        if (convert) {
          template = template.replace(PYTHON_PLACEHOLDER, "{{$1}}");
          text = writePrompt(text, format, template);
          await writeFile(path.join(root, promptPath), text);
          io.stdout.write(`${paint("green", "rewrote")} ${promptPath}: ${names} \u2192 {{\u2026}}
`);
        } else
          io.stdout.write(
            `${paint("yellow", "kept")} ${promptPath} as it is (kaizen init --convert-placeholders rewrites it later).
`
          );
      }
      const slots = placeholders(template);
      const defaultName = path.basename(promptPath).replace(/\.[^.]+$/, "").replace(/[^A-Za-z0-9_-]/g, "_").replace(/^[^A-Za-z0-9]+/, "");
      const task = await ask.ask(
        { flag: "task", text: "Task name", fallback: defaultName || "my_task", parse: taskNameAnswer },
        values.task
      );
      const description = await ask.ask(
        {
          flag: "description",
          text: "What the prompt is for, in a sentence (the teacher and the judge read it; Enter skips)",
          fallback: "",
          parse: (answer) => ({ value: answer === "" ? null : answer })
        },
        values.description
      );
      const evaluator = await ask.ask(
        {
          flag: "evaluator",
          text: `How outputs are scored (${Object.entries(EVALUATORS).map(([name, what]) => `${name}: ${what}`).join("; ")})`,
          fallback: "llm_judge",
          parse: evaluatorAnswer
        },
        values.evaluator
      );
      const threshold = await ask.ask(
        {
          flag: "threshold",
          text: "Feedback entries that start each optimization",
          fallback: "50",
          parse: thresholdAnswer
        },
        values.threshold
      );
      const budget = await ask.ask(
        {
          flag: "budget",
          text: "The most one optimization may spend on model calls, in US dollars",
          fallback: "2",
          parse: budgetAnswer
        },
        values.budget
      );
      const model = (flag, text2, fallback) => ask.ask({ flag, text: text2, fallback, parse: modelAnswer }, values[flag]);
      const teacher = await model(
        "teacher-model",
        "Teacher model (proposes prompts)",
        DEFAULT_MODELS.teacher
      );
      const judge = evaluator === "llm_judge" ? await model("judge-model", "Judge model (scores outputs)", DEFAULT_MODELS.judge) : null;
      const student = await model(
        "student-model",
        "Student model (runs the prompt in production)",
        DEFAULT_MODELS.student
      );
      const config = {
        name: task,
        ...description ? { description } : {},
        prompt_path: promptPath,
        prompt_format: format,
        feedback_threshold: threshold,
        cost_budget: budget,
        evaluator_config: { evaluators: [{ type: evaluator }] },
        teacher_model: teacher,
        ...judge ? { judge_model: judge } : {},
        student_model: student
      };
      const taskFile = `${TASKS_DIR}/${task}.yml`;
      const yaml = `${taskFileHeader(root)}${(0, import_yaml.stringify)(config)}`;
      const issues = parseTaskConfig(yaml, taskFile).issues.filter((i) => i.severity === "error");
      if (issues.length > 0) throw new CliUsageError(issues.map(formatConfigIssue).join("\n"));
      const unpriced = unpricedModels(loadTaskConfig(yaml, taskFile), io.env.OPENAI_BASE_URL);
      const written = [];
      for (const [file, content] of [
        [taskFile, yaml],
        [".github/workflows/kaizen.yml", KAIZEN_WORKFLOW]
      ]) {
        const target = path.join(root, file);
        if (existsSync(target) && await readFile(target, "utf8") !== content && !await ask.confirm(`${file} exists; overwrite it?`, false, yes)) {
          io.stdout.write(`${paint("yellow", "kept")} ${file} (it exists; --yes overwrites)
`);
          continue;
        }
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
        written.push(file);
        io.stdout.write(`${paint("green", "wrote")} ${file}
`);
      }
      if (unpriced.length > 0) io.stdout.write(`${paint("yellow", "Note:")} ${priceHint(unpriced)}
`);
      io.stdout.write(nextSteps(task, promptPath, format, slots, written, paint));
      return 0;
    } finally {
      ask.close();
    }
  }
};
async function promptFileAnswer(root, answer, found) {
  const file = /^\d+$/.test(answer) ? found[Number(answer) - 1] : answer.replace(/^\.\//, "");
  if (file === void 0) return { problem: `there is no number ${answer} in the list` };
  const problem = promptPathProblem(file);
  if (problem) return { problem: `the path ${problem}` };
  if (!existsSync(path.join(root, file))) return { problem: `there is no file ${file} in ${root}` };
  return { value: file };
}
function formatAnswer(answer, text) {
  const format = answer.toLowerCase();
  if (!PROMPT_FORMATS.includes(format))
    return { problem: `the format is one of ${PROMPT_FORMATS.join(", ")}` };
  try {
    readPrompt(text, format);
    return { value: format };
  } catch (error) {
    return { problem: `the file cannot be read as ${format}: ${error.message}` };
  }
}
function taskNameAnswer(answer) {
  return TASK_NAME_PATTERN.test(answer) ? { value: answer } : { problem: "a task name starts with a letter or digit and has only letters, digits, '_' and '-'" };
}
function evaluatorAnswer(answer) {
  return answer in EVALUATORS ? { value: answer } : { problem: `the way to score is one of ${Object.keys(EVALUATORS).join(", ")}` };
}
function thresholdAnswer(answer) {
  const value = Number(answer);
  return Number.isInteger(value) && value >= 1 ? { value } : { problem: "the number of feedback entries is a whole number, 1 or more (e.g. 50)" };
}
function budgetAnswer(answer) {
  const value = Number(answer.replace(/^\$/, ""));
  return answer.trim() !== "" && Number.isFinite(value) && value > 0 ? { value } : { problem: "the budget is an amount of US dollars above 0 (e.g. 2 or 0.50)" };
}
function modelAnswer(answer) {
  return /^\S+$/.test(answer) ? { value: answer } : { problem: "a model name has no spaces (e.g. gpt-4o-mini)" };
}
function taskFileHeader(root) {
  const docs = packageDocs();
  const inRepository = docs && !path.relative(root, docs).startsWith("..");
  if (!inRepository)
    return "# A Kaizen task. Every field: docs/task-configuration.md of the kaizen-prompts package.\n# Check it with: npx kaizen validate\n";
  const fromTasks = (file) => path.relative(path.join(root, TASKS_DIR), path.join(docs, file)).split(path.sep).join("/");
  return `# yaml-language-server: $schema=${fromTasks("task.schema.json")}
# A Kaizen task. Every field: ${path.relative(root, path.join(docs, "task-configuration.md")).split(path.sep).join("/")}
# Check it with: npx kaizen validate
`;
}
function packageDocs() {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (; ; ) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "docs", "task-configuration.md")))
      return path.join(dir, "docs");
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function nextSteps(task, promptPath, format, slots, written, paint) {
  return [
    "",
    `Task ${paint("bold", task)}: ${promptPath} (${format}), placeholders ${slots.length ? slots.map((s) => `{{${s}}}`).join(", ") : "none"}.`,
    "Next:",
    "  1. check it: npx kaizen validate",
    `  2. commit ${written.length ? written.join(" and ") : "the files"} (Kaizen reads tasks from the default branch)`,
    `  3. give it feedback: npx kaizen feedback import FILE.jsonl --task ${task}`,
    `     or from your app: kaizen.logFeedback({ taskId: "${task}", inputs, output, score })`,
    `  4. optimize it here: OPENAI_API_KEY=\u2026 npx kaizen optimize --task ${task}`,
    "     or in GitHub: add the OPENAI_API_KEY secret (Settings \u2192 Secrets and variables \u2192 Actions) and push",
    ""
  ].join("\n");
}
export {
  initCommand
};
