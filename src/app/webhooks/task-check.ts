/**
 * The check run that reports task-file validation on a commit or pull request: the same parser
 * and messages as `kaizen validate`, shaped as GitHub's check-run output with one annotation
 * on the exact line of each mistake.
 */
import { formatConfigIssue, type ConfigIssue } from "../../core/errors.js";
import { parseTaskConfig } from "../../core/task-config.js";
import type { CheckRunAnnotation } from "../../github/check-runs.js";

export const TASK_CHECK_NAME = "Kaizen task configuration";

export interface TaskCheckResult {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
  issues: ConfigIssue[];
}

/**
 * Validates task files and builds the check run's conclusion, summary and annotations.
 *
 * @example
 * const result = checkTaskFiles(new Map([[".kaizen/tasks/a.yml", "name: a\nfeedback_threshold: -1\n"]]));
 * result.conclusion // "failure"
 */
export function checkTaskFiles(files: ReadonlyMap<string, string>): TaskCheckResult {
  const issues: ConfigIssue[] = [];
  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b)))
    issues.push(...parseTaskConfig(text, file).issues);
  const errors = issues.filter((i) => i.severity === "error");
  const warnings = issues.length - errors.length;
  const conclusion = errors.length > 0 ? "failure" : "success";
  const title =
    conclusion === "failure"
      ? `${errors.length} error(s) in task files`
      : `${files.size} task file(s) valid${warnings > 0 ? `, ${warnings} warning(s)` : ""}`;
  const rows = issues.map(
    (i) =>
      `| \`${i.file}\` | ${i.line}:${i.column} | ${i.severity} | \`${i.field}\` | ${i.message.replace(/\|/g, "\\|")} |`,
  );
  const summary = [
    `Checked ${files.size} task file(s): **${errors.length} error(s)**, ${warnings} warning(s).`,
    ...(rows.length > 0
      ? ["", "| file | line:col | severity | field | problem |", "| --- | --- | --- | --- | --- |", ...rows]
      : []),
    "",
    "Run `npx kaizen validate` locally for the same report.",
  ].join("\n");
  return { conclusion, title, summary, annotations: issues.map(toAnnotation), issues };
}

function toAnnotation(issue: ConfigIssue): CheckRunAnnotation {
  return {
    path: issue.file,
    start_line: issue.line,
    end_line: issue.line,
    // GitHub takes columns only for single-line annotations, which these are.
    start_column: issue.column,
    end_column: issue.column,
    annotation_level: issue.severity === "error" ? "failure" : "warning",
    title: issue.field,
    message: formatConfigIssue(issue),
  };
}
