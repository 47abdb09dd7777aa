/** The deterministic evaluators: exact_match, contains, regex, json_schema. */
import { Ajv } from "ajv";
import type { EvaluatorSpec } from "../../core/task-config-schema.js";
import type { Example } from "../dataset.js";

const ajv = new Ajv({ allErrors: true, strict: false });

/** A score in [0, 1], or null when there is nothing to compare with; and why. */
export function deterministicScore(
  spec: Exclude<EvaluatorSpec, { type: "llm_judge" }>,
  example: Example,
  output: string,
  taskSchema: Record<string, unknown> | null,
): { score: number | null; reason: string | null } {
  switch (spec.type) {
    case "exact_match": {
      if (example.expected === null) return { score: null, reason: "no reference answer for these inputs" };
      const norm = (s: string) => (spec.trim ? s.trim() : s);
      const equal = spec.case_sensitive
        ? norm(output) === norm(example.expected)
        : norm(output).toLowerCase() === norm(example.expected).toLowerCase();
      return { score: equal ? 1 : 0, reason: equal ? null : "differs from the reference answer" };
    }
    case "contains": {
      const needle = spec.value ?? example.expected;
      if (needle === null || needle === undefined)
        return { score: null, reason: "no value and no reference answer to look for" };
      const found = spec.case_sensitive
        ? output.includes(needle)
        : output.toLowerCase().includes(needle.toLowerCase());
      return { score: found ? 1 : 0, reason: found ? null : `does not contain "${needle.slice(0, 60)}"` };
    }
    case "regex": {
      const matched = new RegExp(spec.pattern, spec.flags).test(output);
      return {
        score: matched ? 1 : 0,
        reason: matched ? null : `does not match /${spec.pattern}/${spec.flags}`,
      };
    }
    case "json_schema": {
      const schema = spec.schema ?? taskSchema;
      if (!schema)
        return { score: null, reason: "no schema: set the evaluator's schema or the task's task_schema" };
      let value: unknown;
      try {
        value = JSON.parse(output);
      } catch (error) {
        return { score: 0, reason: `not valid JSON: ${(error as Error).message}` };
      }
      const validate = ajv.compile(schema);
      return validate(value)
        ? { score: 1, reason: null }
        : { score: 0, reason: ajv.errorsText(validate.errors) };
    }
  }
}
