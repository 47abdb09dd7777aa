/**
 * The repository's GitHub workflow, checked as GitHub reads it (GitHub's own parser,
 * @actions/workflow-parser, from the Actions language services), since it cannot run here.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const FILE = ".github/workflows/ci.yml";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}

/** What GitHub would say is wrong with a workflow file: nothing, for a valid one. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  // convertWorkflowTemplate carries the parser's errors into the template's, with its own.
  const template = await convertWorkflowTemplate(result.context, result.value!);
  return (template.errors ?? []).map((e) => e.Message);
}

async function workflow() {
  const content = await readFile(path.join(ROOT, FILE), "utf8");
  return {
    content,
    yaml: parseYaml(content) as { jobs: Record<string, { steps: Step[]; needs?: string }> },
  };
}

describe(FILE, () => {
  it("is a workflow GitHub accepts", async () => {
    expect(await workflowErrors(FILE, (await workflow()).content)).toEqual([]);
  });

  it("fails on an invalid one (the parser is not lenient)", async () => {
    const errors = await workflowErrors(
      "bad.yml",
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n",
    );
    expect(errors.join("\n")).toContain("stepz");
  });

  it("runs the tests, check-dist, and the Action itself with `uses: ./` and inputs action.yml declares", async () => {
    const { jobs } = (await workflow()).yaml;
    const runs = Object.values(jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
    for (const command of ["npm ci", "npm test", "npm run test:scale", "npm run check-dist", "npm run lint"])
      expect(
        runs.some((run) => run.includes(command)),
        command,
      ).toBe(true);
    const own = Object.values(jobs).flatMap((job) => job.steps.filter((s) => s.uses === "./"));
    expect(own.length).toBeGreaterThan(0);
    const action = parseYaml(await readFile(path.join(ROOT, "action.yml"), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    for (const step of own)
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    // The Action runs the committed dist/, so it runs after check-dist proved dist/ current.
    expect(jobs.action?.needs).toBe("check-dist");
  });
});
