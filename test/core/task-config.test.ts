import { describe, expect, it } from "vitest";
import { ConfigError, formatConfigIssue } from "../../src/core/errors.js";
import { loadTaskConfig, parseTaskConfig } from "../../src/core/task-config.js";

const FILE = ".kaizen/tasks/summarize.yml";

/** The issues of a task file, as the CLI and the check run print them. */
function problems(yaml: string, file = FILE): string[] {
  return parseTaskConfig(yaml, file).issues.map(formatConfigIssue);
}

describe("task configuration files", () => {
  it("accepts a complete file and fills the seeds' defaults", () => {
    const config = loadTaskConfig(
      [
        "name: summarize",
        "description: Summarize a support ticket",
        "prompt_path: prompts/summarize.md",
        "prompt_format: markdown",
        "student_model: gpt-4o-mini",
        "",
      ].join("\n"),
      FILE,
    );
    expect(config).toMatchObject({
      name: "summarize",
      feedback_threshold: 50,
      feedback_retention_limit: 1000,
      module_type: "predict",
      prompt_path: "prompts/summarize.md",
      student_model: "gpt-4o-mini",
      cost_budget: null,
    });
  });

  it("reports wrong types with line, column, field and what was expected", () => {
    expect(problems("name: summarize\nfeedback_threshold: lots\ncost_budget: [1]\n")).toEqual([
      `${FILE}:2:21: error: feedback_threshold: expected a number, got the string "lots"`,
      `${FILE}:3:14: error: cost_budget: expected a number, got a list`,
    ]);
  });

  it("reports a missing name", () => {
    expect(problems("feedback_threshold: 10\n")).toEqual([
      `${FILE}:1:1: error: name: is required (expected a string)`,
    ]);
  });

  it("reports a negative threshold", () => {
    expect(problems("name: summarize\nfeedback_threshold: -5\n")).toEqual([
      `${FILE}:2:21: error: feedback_threshold: must be greater than 0, got number -5`,
    ]);
  });

  it("warns about an unknown key and suggests the field that was meant, without failing", () => {
    const result = parseTaskConfig("name: summarize\nfeedback_treshold: 10\n", FILE);
    expect(result.issues.map(formatConfigIssue)).toEqual([
      `${FILE}:2:1: warning: feedback_treshold: unknown field, ignored (did you mean "feedback_threshold"?)`,
    ]);
    expect(result.config?.feedback_threshold).toBe(50);
  });

  it("warns that a retention limit under 30 entries keeps the task from ever being optimized", () => {
    const result = parseTaskConfig("name: summarize\nfeedback_retention_limit: 20\n", FILE);
    expect(result.issues.map(formatConfigIssue)).toEqual([
      `${FILE}:2:27: warning: feedback_retention_limit: keeps at most 20 entries, fewer than the 30 usable ones an optimization needs, so this task can never be optimized; set it to 30 or more`,
    ]);
    expect(result.config?.feedback_retention_limit).toBe(20);
    expect(problems("name: summarize\nfeedback_retention_limit: 30\n")).toEqual([]);
  });

  it("refuses an unknown key inside evaluator_config (it changes what is measured), with a suggestion", () => {
    const yaml =
      "name: summarize\nevaluator_config:\n  evaluators:\n    - type: regex\n      pattern: '^ok'\n      flagz: i\n";
    expect(problems(yaml)).toEqual([
      `${FILE}:6:7: error: evaluator_config.evaluators.0.flagz: unknown key in evaluator_config (did you mean "flags"?); known here: type, weight, pattern, flags`,
    ]);
    expect(parseTaskConfig(yaml, FILE).config).toBeNull();
  });

  it("accepts one evaluator written alone as shorthand for a list of one, and checks its keys where written", () => {
    const ok = parseTaskConfig("name: summarize\nevaluator_config: {type: exact_match}\n", FILE);
    expect(ok.issues).toEqual([]);
    expect(ok.config?.evaluator_config?.evaluators).toEqual([
      { type: "exact_match", weight: 1, case_sensitive: true, trim: true },
    ]);
    expect(
      problems("name: summarize\nevaluator_config:\n  type: exact_match\n  case_sensitiv: false\n"),
    ).toEqual([
      `${FILE}:4:3: error: evaluator_config.case_sensitiv: unknown key in evaluator_config (did you mean "case_sensitive"?); known here: type, weight, case_sensitive, trim`,
    ]);
  });

  it.each([
    ["/etc/prompt.md", "must be a path relative to the repository root, not an absolute path"],
    ["prompts/../../secret.md", "must not contain '..'"],
    [".github/workflows/kaizen.yml", "must not lie at or under .github"],
  ])("refuses prompt_path %s", (promptPath, message) => {
    const [problem] = problems(`name: summarize\nprompt_path: ${promptPath}\n`);
    expect(problem).toMatch(new RegExp(`^${FILE.replace(/\./g, "\\.")}:2:14: error: prompt_path: `));
    expect(problem).toContain(message);
  });

  it("reports every mistake at once, in file order", () => {
    const yaml =
      "feedback_threshold: 0\nmodule_type: tree_of_thought\nprompt_path: /abs.md\nfeedback_treshold: 3\n";
    const found = problems(yaml);
    expect(found.map((p) => p.split(": ")[0])).toEqual([
      `${FILE}:1:1`,
      `${FILE}:1:21`,
      `${FILE}:2:14`,
      `${FILE}:3:14`,
      `${FILE}:4:1`,
    ]);
    expect(found.join("\n")).toContain("module_type");
    expect(() => loadTaskConfig(yaml, FILE)).toThrow(ConfigError);
  });

  it("requires the name to match the file name", () => {
    expect(problems("name: other\n")).toEqual([
      `${FILE}:1:7: error: name: is "other" but the file is named summarize.yml; rename one so they match`,
    ]);
  });

  it("reports YAML syntax errors with their position", () => {
    const [problem] = problems("name: summarize\nfeedback_threshold: [1, 2\n");
    expect(problem).toMatch(
      new RegExp(`^${FILE.replace(/\./g, "\\.")}:\\d+:\\d+: error: \\(file\\): YAML syntax: `),
    );
  });

  it("reads the seeds' schema_json as task_schema", () => {
    const config = loadTaskConfig("name: summarize\nschema_json:\n  type: object\n", FILE);
    expect(config.task_schema).toEqual({ type: "object" });
  });
});
