import { describe, expect, it } from "vitest";
import { checkTaskFiles } from "../../../src/app/webhooks/task-check.js";

describe("the task-file check run", () => {
  it("fails with one annotation on the exact line and column of each mistake", () => {
    const result = checkTaskFiles(
      new Map([
        [".kaizen/tasks/summarize.yml", "name: summarize\nfeedback_threshold: -5\nfeedback_treshold: 3\n"],
        [".kaizen/tasks/classify.yml", "name: classify\n"],
      ]),
    );
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe("1 error(s) in task files");
    expect(result.annotations).toEqual([
      {
        path: ".kaizen/tasks/summarize.yml",
        start_line: 2,
        end_line: 2,
        start_column: 21,
        end_column: 21,
        annotation_level: "failure",
        title: "feedback_threshold",
        message:
          ".kaizen/tasks/summarize.yml:2:21: error: feedback_threshold: must be greater than 0, got number -5",
      },
      {
        path: ".kaizen/tasks/summarize.yml",
        start_line: 3,
        end_line: 3,
        start_column: 1,
        end_column: 1,
        annotation_level: "warning",
        title: "feedback_treshold",
        message:
          '.kaizen/tasks/summarize.yml:3:1: warning: feedback_treshold: unknown field, ignored (did you mean "feedback_threshold"?)',
      },
    ]);
    expect(result.summary).toContain(
      "| `.kaizen/tasks/summarize.yml` | 2:21 | error | `feedback_threshold` | must be greater than 0, got number -5 |",
    );
  });

  it("passes valid files, counting the warnings in its title", () => {
    const result = checkTaskFiles(
      new Map([[".kaizen/tasks/classify.yml", "name: classify\nfeedback_treshold: 3\n"]]),
    );
    expect(result.conclusion).toBe("success");
    expect(result.title).toBe("1 task file(s) valid, 1 warning(s)");
  });
});
