/**
 * `kaizen validate [PATH...]`: checks task files with the same parser, and so the same
 * messages, as the app's check run. Usable in any CI: exit 1 when a file has an error.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { formatConfigIssue, type ConfigIssue } from "../../core/errors.js";
import { parseTaskConfig } from "../../core/task-config.js";
import { TASKS_DIR } from "../../store/layout.js";
import { parseCommandArgs, type Command } from "../command.js";
import { painter } from "../output.js";
import { commitIssues, priceIssues, promptFileIssues } from "../task-file-checks.js";

export const validateCommand: Command = {
  usage: `Usage: kaizen validate [PATH...] [--json]

Checks task configuration files the way the Kaizen app's check run does, and more: that each
prompt file exists and uses {{placeholders}}, that every model has a price, and that the file is
committed (local commands read tasks from the default branch). With no PATH, checks every
.kaizen/tasks/*.yml and *.yaml of the current directory. Exits 1 when there is no task file or
any file has an error; warnings (such as an unknown, ignored key) do not fail.

Options:
  --json   print the issues as JSON: [{ file, line, column, field, message, severity }]

Example:
  kaizen validate
  kaizen validate .kaizen/tasks/summarize.yml`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: "boolean" } }, true);
    const files = positionals.length > 0 ? positionals : await taskFilesIn(io.cwd);
    if (files.length === 0) {
      if (values.json) io.stdout.write("[]\n");
      io.stderr.write(`No task file in ${TASKS_DIR}/ here: create one with "kaizen init".\n`);
      return 1;
    }
    const issues: ConfigIssue[] = [];
    for (const file of files) {
      const display = path.relative(io.cwd, path.resolve(io.cwd, file)) || file;
      let text: string;
      try {
        text = await readFile(path.resolve(io.cwd, file), "utf8");
      } catch (error) {
        issues.push({
          file: display,
          line: 1,
          column: 1,
          field: "(file)",
          message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          severity: "error",
        });
        continue;
      }
      const parsed = parseTaskConfig(text, display);
      issues.push(...parsed.issues);
      const root = repositoryRootOf(io.cwd, file);
      const extra = [
        ...(parsed.config
          ? [
              ...(await promptFileIssues(root, parsed.config, text)),
              ...priceIssues(parsed.config, text, io.env.OPENAI_BASE_URL),
            ]
          : []),
        ...(await commitIssues(root, file, text)),
      ];
      issues.push(...extra.map((issue) => ({ file: display, ...issue })));
    }
    const errors = issues.filter((i) => i.severity === "error").length;
    if (values.json) {
      io.stdout.write(`${JSON.stringify(issues, null, 2)}\n`);
    } else {
      const paint = painter(io);
      for (const issue of issues)
        io.stdout.write(
          `${paint(issue.severity === "error" ? "red" : "yellow", formatConfigIssue(issue))}\n`,
        );
      const warnings = issues.length - errors;
      io.stdout.write(`${files.length} task file(s) checked: ${errors} error(s), ${warnings} warning(s)\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};

/** The repository a task file belongs to: the folder holding its `.kaizen/tasks/`, else the current one. */
function repositoryRootOf(cwd: string, file: string): string {
  const absolute = path.resolve(cwd, file);
  const marker = `${path.sep}${TASKS_DIR.split("/").join(path.sep)}${path.sep}`;
  const index = absolute.lastIndexOf(marker);
  return index === -1 ? cwd : absolute.slice(0, index);
}

async function taskFilesIn(root: string): Promise<string[]> {
  try {
    const names = await readdir(path.join(root, TASKS_DIR));
    return names
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => path.join(TASKS_DIR, n));
  } catch {
    return [];
  }
}
