import { describe, expect, it } from "vitest";
import { InputError, readInputs } from "../../src/action/inputs.js";
import { resolveTrigger } from "../../src/action/trigger.js";

/** The environment the runner gives an action step, from the `with:` inputs. */
function env(inputs: Record<string, string>): NodeJS.ProcessEnv {
  const base: Record<string, string> = {
    "github-token": "ghs_test",
    mode: "optimize",
    "dry-run": "false",
    force: "false",
  };
  return Object.fromEntries(
    Object.entries({ ...base, ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
}

describe("the Action's inputs", () => {
  it("reads a full set of inputs", () => {
    expect(
      readInputs(
        env({
          task: "summarize, classify",
          "max-cost-usd": "$2.50",
          "dry-run": "true",
          "judge-model": "gpt-4o-mini",
        }),
      ),
    ).toMatchObject({
      mode: "optimize",
      tasks: ["summarize", "classify"],
      maxCostUsd: 2.5,
      dryRun: true,
      force: false,
      models: { teacher: null, judge: "gpt-4o-mini", student: null },
    });
  });

  it.each([
    [{ "max-cost-usd": "ten" }, 'max-cost-usd must be a positive number of US dollars, got "ten"'],
    [{ "max-cost-usd": "-1" }, 'max-cost-usd must be a positive number of US dollars, got "-1"'],
    [{ mode: "deploy" }, 'mode must be "optimize" or "plan", got "deploy"'],
    [{ task: "../etc" }, 'task "../etc" is not a valid task name'],
    [{ "dry-run": "yes please" }, 'dry-run must be true or false, got "yes please"'],
    [{ "job-id": "42" }, 'job-id must be the id of a Kaizen job (a UUID), got "42"'],
    [
      { "job-id": "018f0000-0000-7000-8000-000000000001" },
      "job-id names one job, so task must name exactly one task (got 0)",
    ],
    [
      { "openai-base-url": "not a url" },
      'openai-base-url must be a URL such as https://api.openai.com/v1, got "not a url"',
    ],
    [{ "github-token": "" }, "github-token is empty"],
  ])("refuses %o with a message that names the input", (inputs, message) => {
    expect(() => readInputs(env(inputs))).toThrow(InputError);
    expect(() => readInputs(env(inputs))).toThrow(message);
  });
});

describe("the trigger of a run", () => {
  const inputs = readInputs(env({}));

  it("takes the task and job from the app's workflow_dispatch inputs", () => {
    expect(
      resolveTrigger(
        "workflow_dispatch",
        { inputs: { task: "summarize", "job-id": "018f0000-0000-7000-8000-000000000001" } },
        inputs,
      ),
    ).toEqual({
      event: "workflow_dispatch",
      triggeredBy: "auto_threshold",
      tasks: ["summarize"],
      jobId: "018f0000-0000-7000-8000-000000000001",
    });
  });

  it("treats a person's Run workflow click as manual", () => {
    expect(resolveTrigger("workflow_dispatch", { inputs: { task: "" } }, inputs)).toMatchObject({
      triggeredBy: "manual",
      tasks: [],
      jobId: null,
    });
  });

  it("answers repository_dispatch of type kaizen-optimize only", () => {
    expect(
      resolveTrigger(
        "repository_dispatch",
        { action: "kaizen-optimize", client_payload: { task: "classify" } },
        inputs,
      ),
    ).toMatchObject({ triggeredBy: "api_on_demand", tasks: ["classify"] });
    expect(() =>
      resolveTrigger("repository_dispatch", { action: "deploy", client_payload: {} }, inputs),
    ).toThrow('repository_dispatch of type "deploy" is not Kaizen\'s; send event_type "kaizen-optimize"');
  });

  it("optimizes every due task on a schedule", () => {
    expect(resolveTrigger("schedule", {}, inputs)).toEqual({
      event: "schedule",
      triggeredBy: "schedule",
      tasks: [],
      jobId: null,
    });
  });
});
