import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
});
