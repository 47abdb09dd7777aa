/**
 * The API's task creation refuses an unknown key inside evaluator_config as the YAML parser
 * does: a 422 naming the key where it was written, with the closest known key. zod alone would
 * strip it silently, and the task would be scored by something other than what was asked.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseTaskConfig } from "../../src/core/task-config.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

describe("evaluator_config through the API's task creation", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => api.close());

  const taskFile = (name: string) => path.join(api.dir, `.kaizen/tasks/${name}.yml`);

  it("answers 422 naming an unknown key of the shorthand, with a did-you-mean, and writes nothing", async () => {
    const refused = await api.call("POST", "/api/v1/tasks", {
      name: "triage",
      evaluator_config: { type: "exact_match", case_sensitiv: false },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toEqual([
      {
        loc: ["body", "evaluator_config", "case_sensitiv"],
        msg: 'unknown key in evaluator_config (did you mean "case_sensitive"?); known here: type, weight, case_sensitive, trim',
        type: "unknown_key",
      },
    ]);
    await expect(readFile(taskFile("triage"), "utf8")).rejects.toThrow();
    // The YAML parser says the same of the same key.
    const yaml = parseTaskConfig(
      "name: triage\nevaluator_config: {type: exact_match, case_sensitiv: false}\n",
      ".kaizen/tasks/triage.yml",
    );
    expect(yaml.issues.map((i) => [i.field, i.message, i.severity])).toEqual([
      ["evaluator_config.case_sensitiv", refused.body.detail[0].msg, "error"],
    ]);
  });

  it("names unknown keys in the long form at their place in the list, beside other bad fields", async () => {
    const refused = await api.call("POST", "/api/v1/tasks", {
      name: "triage",
      feedback_threshold: 0,
      evaluator_config: {
        rubrik: "Right team",
        evaluators: [{ type: "llm_judge" }, { type: "regex", patern: "x" }],
      },
    });
    expect(refused.status).toBe(422);
    const detail = refused.body.detail as { loc: (string | number)[]; msg: string }[];
    expect(detail.map((d) => d.loc)).toEqual(
      expect.arrayContaining([
        ["body", "evaluator_config", "rubrik"],
        ["body", "evaluator_config", "evaluators", 1, "patern"],
        ["body", "feedback_threshold"],
      ]),
    );
    expect(detail.find((d) => d.loc.includes("rubrik"))!.msg).toContain('did you mean "rubric"?');
    expect(detail.find((d) => d.loc.includes("patern"))!.msg).toContain('did you mean "pattern"?');
  });

  it("accepts the shorthand and writes a file that scores by it", async () => {
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "triage",
      evaluator_config: { type: "exact_match", case_sensitive: false },
    });
    expect(created.status).toBe(201);
    const { config, issues } = parseTaskConfig(
      await readFile(taskFile("triage"), "utf8"),
      ".kaizen/tasks/triage.yml",
    );
    expect(issues).toEqual([]);
    expect(config!.evaluator_config!.evaluators).toEqual([
      { type: "exact_match", weight: 1, case_sensitive: false, trim: true },
    ]);
  });
});
