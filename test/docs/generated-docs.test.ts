import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseTaskConfig } from "../../src/core/task-config.js";
import {
  JSON_SCHEMA_PATH,
  REFERENCE_PATH,
  taskConfigReference,
  taskJsonSchema,
} from "../../scripts/docs/task-config-reference.js";

describe("the generated task configuration docs", () => {
  it("are what `npm run docs` makes from the schema (run it after changing a field)", () => {
    expect(readFileSync(REFERENCE_PATH, "utf8")).toBe(taskConfigReference());
    expect(readFileSync(JSON_SCHEMA_PATH, "utf8")).toBe(taskJsonSchema());
  });

  it("show an example that the parser accepts without a warning", () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(taskConfigReference())?.[1] ?? "";
    expect(parseTaskConfig(example, ".kaizen/tasks/summarize_ticket.yml").issues).toEqual([]);
  });

  it("document every field of the schema", () => {
    const reference = taskConfigReference();
    for (const field of Object.keys(JSON.parse(taskJsonSchema()).properties))
      expect(reference).toContain(`| \`${field}\` |`);
  });

  it("let an editor accept every form of evaluator_config the parser accepts, and flag an unknown key inside it", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(JSON_SCHEMA_PATH, "utf8")));
    const check = (yaml: string) => {
      const parsed = parseTaskConfig(`name: triage\n${yaml}\n`, ".kaizen/tasks/triage.yml");
      const editorAccepts = validate(parseYaml(`name: triage\n${yaml}\n`));
      return { parser: parsed.config !== null, editor: editorAccepts };
    };
    for (const accepted of [
      "evaluator_config: {type: exact_match}",
      "evaluator_config: {type: exact_match, case_sensitive: false, rubric: Right team}",
      "evaluator_config: {type: llm_judge, rubric: Right team}",
      "evaluator_config: [{type: exact_match}, {type: regex, pattern: '^[A-Z]+$', weight: 2}]",
      "evaluator_config: {rubric: Right team, evaluators: [{type: llm_judge}]}",
      "evaluator_config: null",
    ])
      expect([accepted, check(accepted)]).toEqual([accepted, { parser: true, editor: true }]);
    for (const refused of [
      "evaluator_config: {type: exact_match, case_sensitiv: false}",
      "evaluator_config: {rubrik: Right team, evaluators: [{type: llm_judge}]}",
      "evaluator_config: [{type: regex, patern: x}]",
      "evaluator_config: {type: nope}",
    ])
      expect([refused, check(refused)]).toEqual([refused, { parser: false, editor: false }]);
  });
});
