/**
 * The repository's GitHub workflow, checked as GitHub reads it (GitHub's own parser,
 * @actions/workflow-parser, from the Actions language services), since it cannot run here.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { KAIZEN_WORKFLOW, kaizenWorkflow } from "../../src/cli/workflow-template.js";

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

interface KaizenWorkflow {
  on: {
    workflow_dispatch: { inputs: Record<string, { type: string; default?: unknown }> };
    pull_request: { paths: string[] };
  };
  jobs: Record<string, { if?: string; steps: Step[] }>;
}

describe("the workflow a team copies (kaizen init's, README's)", () => {
  it("is README's block, byte for byte: one template, so the two cannot drift", async () => {
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const workflows = blocks.filter((b) => b.startsWith("name: Kaizen\n"));
    expect(workflows).toEqual([KAIZEN_WORKFLOW]);
  });

  it("is a workflow GitHub accepts, whatever the prompt paths", async () => {
    expect(await workflowErrors("kaizen.yml", KAIZEN_WORKFLOW)).toEqual([]);
    const odd = kaizenWorkflow(["prompts/[draft] a*.md", "!notes.txt", "prompts/x.md", "prompts/x.md"]);
    expect(await workflowErrors("kaizen.yml", odd)).toEqual([]);
    // GitHub's filter patterns read *, [ ] and a leading ! as patterns: the paths stay literal.
    expect((parseYaml(odd) as KaizenWorkflow).on.pull_request.paths).toEqual([
      ".kaizen/**",
      "prompts/\\[draft\\] a\\*.md",
      "\\!notes.txt",
      "prompts/x.md",
    ]);
  });

  it("evaluates only pull requests that touch .kaizen/ or a task's prompt file", () => {
    const workflow = parseYaml(kaizenWorkflow(["prompts/a.md", "src/b.py"])) as KaizenWorkflow;
    expect(workflow.on.pull_request.paths).toEqual([".kaizen/**", "prompts/a.md", "src/b.py"]);
    expect(workflow.jobs.evaluate?.if).toBe("github.event_name == 'pull_request'");
  });

  it("takes `force` on workflow_dispatch and hands it to the Action, with only inputs action.yml declares", async () => {
    const workflow = parseYaml(KAIZEN_WORKFLOW) as KaizenWorkflow;
    expect(workflow.on.workflow_dispatch.inputs.force).toMatchObject({ type: "boolean", default: false });
    const action = parseYaml(await readFile(path.join(ROOT, "action.yml"), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const kaizenSteps = Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
      steps.filter((s) => s.uses === "kaizen/optimize@v1").map((step) => ({ job, step })),
    );
    expect(kaizenSteps.map((s) => s.job)).toEqual(["plan", "optimize", "evaluate"]);
    for (const { step } of kaizenSteps)
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    for (const { step } of kaizenSteps.filter((s) => s.job !== "evaluate"))
      expect(step.with?.force).toBe("${{ inputs.force }}");
  });
});
