/**
 * The optimizer as a user meets it: a task file written as the docs show, against a model server
 * that speaks only what real servers speak (reasoning-model parameter rules, JSON-schema structured
 * output or only json_object, answers in code fences, responses without usage), and every refusal
 * that must come before money is spent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, taskId } from "../../src/core/ids.js";
import type { FeedbackResult } from "../../src/core/records.js";
import { optimizeTask as optimizeTaskOf, type OptimizeTaskOptions } from "../../src/jobs/optimize.js";
import { planRun } from "../../src/jobs/plan.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI, type ChatRequest } from "../fakes/openai/server.js";

const RULES = {
  refund: "Tickets about refunds are billing.",
  crash: "Tickets about crashes are technical.",
} as const;
const TRUTH = { refund: "billing", crash: "technical" } as const;
type Kind = keyof typeof RULES;
const TICKETS: Record<Kind, string[]> = {
  refund: ["I was charged twice", "Please return my payment", "Cancel and pay me back", "Money back please"],
  crash: ["The app closes on start", "Blank screen after update", "It freezes at login", "Error 500 on save"],
};
const kindOf = (text: string): Kind => (TICKETS.refund.some((t) => text.includes(t)) ? "refund" : "crash");
const PROMPT = "Label the support ticket below with one word.\n\nTicket: {{ticket}}\n";

function feedback(count: number, options: { constantScore?: boolean } = {}): FeedbackResult[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: Kind = i % 2 === 0 ? "refund" : "crash";
    const right = i % 5 === 0;
    return {
      id: newId(),
      task_id: taskId("local", "classify"),
      inputs: { ticket: `${TICKETS[kind][i % 4]} (#${1000 + i})` },
      output: right ? TRUTH[kind] : "general",
      score: options.constantScore ? 0 : right ? 1 : 0,
      source: "human",
      metadata: { expected_output: TRUTH[kind] },
      created_at: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString(),
    };
  });
}

let fake: FakeOpenAI;
const dirs: string[] = [];
beforeEach(async () => {
  fake = await FakeOpenAI.start();
});
afterEach(async () => {
  await fake.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The task "classify" of the options' repository, optimized. */
const optimizePrompt = (options: OptimizeTaskOptions & { store: LocalGitStore }) =>
  optimizeTaskOf(options.store, "classify", options);

async function repo(taskYaml: string, entries: FeedbackResult[]) {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-real-"));
  dirs.push(dir);
  await initRepository(dir, { ".kaizen/tasks/classify.yml": taskYaml, "prompts/classify.md": PROMPT });
  const store = await LocalGitStore.open(dir);
  await store.appendFeedback("classify", entries, { retentionLimit: 1000 });
  const options = (
    extra: Partial<OptimizeTaskOptions> = {},
  ): OptimizeTaskOptions & { store: LocalGitStore } => ({
    store,
    endpoint: { apiKey: "sk-test", baseURL: fake.baseURL },
    cacheDir: null,
    concurrency: 4,
    seed: "real-servers",
    ...extra,
  });
  return { store, options };
}

const lastUser = (r: ChatRequest) => r.messages.filter((m) => m.role === "user").at(-1)!.content;

/** A student that labels right only when the prompt states the rule for the ticket's kind. */
const student = (r: ChatRequest) => {
  const prompt = lastUser(r);
  const kind = kindOf(/Ticket: (.*)/.exec(prompt)?.[1] ?? "");
  return prompt.includes(RULES[kind]) ? TRUTH[kind] : "general";
};

/**
 * A teacher that answers the content of the request, whatever its wording: it finds the template
 * (the text holding `{{ticket}}`) and the tickets shown, and adds the rule of the first kind shown
 * that the template lacks.
 */
const teacher = (r: ChatRequest) => {
  const text = r.messages.map((m) => m.content).join("\n");
  const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(text)?.[1] ?? PROMPT;
  const shown = (Object.keys(RULES) as Kind[]).filter(
    (k) => TICKETS[k].some((t) => text.includes(t)) && !template.includes(RULES[k]),
  );
  const rule = shown.length > 0 ? RULES[shown[(r.seed ?? 0) % shown.length]!] : `Be brief (${r.seed ?? 0}).`;
  return JSON.stringify({
    template: template.replace("Ticket: {{ticket}}", `${rule}\nTicket: {{ticket}}`),
    rationale: `added "${rule}"`,
  });
};

describe("a run on a task file written as the docs show, against real servers' rules", () => {
  it("optimizes a reasoning-model student scored by exact match, through json_object, code fences and missing usage", async () => {
    const yaml = [
      "name: classify",
      "description: Label a support ticket as billing or technical.",
      "prompt_path: prompts/classify.md",
      "student_model: gpt-5-mini",
      "teacher_model: gpt-4.1",
      "feedback_threshold: 50",
      "cost_budget: 2.00",
      "evaluator_config: {type: exact_match}",
      "",
    ].join("\n");
    const { options, store } = await repo(yaml, feedback(120));
    fake.brain("gpt-5-mini", student);
    fake.brain("gpt-4.1", teacher);
    fake.behave("gpt-5-mini", { omitUsageEvery: 3 });
    fake.behave("gpt-4.1", { structured: "json_object", fenceEvery: 2, omitUsageEvery: 3 });

    const plan = await planRun(store, "classify", { seed: "real-servers", baseURL: fake.baseURL });
    expect(plan.evaluatorName).toBe("exact_match");
    expect(plan.plan.estimate.lines.map((l) => l.role)).toEqual(["teacher", "student"]);
    expect(plan.priceNotes.join("\n")).toContain(
      "gpt-5-mini: $0.25 in / $2 out per million tokens (price catalogue)",
    );

    const result = await optimizePrompt(options());
    expect(result.candidate).not.toBeNull();
    expect(result.candidate!.fileText).toMatch(/Tickets about (refunds are billing|crashes are technical)\./);
    expect(result.report).toContain("Scored by **exact_match**.");
    expect(result.report).not.toContain("judge's noise");
    // No judge was called, and the reasoning model never received a parameter it refuses.
    expect(fake.callsByModel.get("gpt-4o-mini")).toBeUndefined();
    expect(fake.refusals.filter((r) => r.model === "gpt-5-mini")).toEqual([]);
    expect(fake.refusals.filter((r) => r.model === "gpt-4.1")).toEqual([
      { model: "gpt-4.1", param: "response_format" },
    ]);
    expect(result.metadata).toMatchObject({ evaluator: "exact_match" });
    expect(result.metadata.actual_usd as number).toBeGreaterThan(0);
  });

  it("optimizes with the default judge when the judge and teacher answer only in plain text, often fenced", async () => {
    const yaml = [
      "name: classify",
      "description: Label a support ticket as billing or technical.",
      "prompt_path: prompts/classify.md",
      "cost_budget: 2.00",
      "evaluator_config:",
      "  rubric: The label is the ticket's category.",
      "  evaluators:",
      "    - type: llm_judge",
      "",
    ].join("\n");
    const { options } = await repo(yaml, feedback(120));
    fake.brain("gpt-4o-mini", (r) => {
      const text = lastUser(r);
      if (!text.includes("Now evaluate this case.")) return student(r);
      const [ticket = "", output = ""] = [
        ...(text.split("Now evaluate this case.")[1] ?? "").matchAll(/<data>\n([\s\S]*?)\n<\/data>/g),
      ].map((m) => m[1]!);
      const kind = kindOf(ticket);
      const right = output.trim() === TRUTH[kind];
      return JSON.stringify({
        score: right ? 1 : 0,
        critique: right ? "Correct." : `Should be ${TRUTH[kind]}.`,
      });
    });
    fake.brain("gpt-4o", teacher);
    fake.behave("gpt-4o-mini", { structured: "none", fenceEvery: 2 });
    fake.behave("gpt-4o", { structured: "none", fenceEvery: 2 });

    const result = await optimizePrompt(options());
    expect(result.candidate).not.toBeNull();
    expect(result.report).toContain("Scored by **llm_judge**.");
    expect(result.report).toContain("(the judge's noise)");
  });
});

describe("refusals before anything is spent", () => {
  it("refuses remote models with no known price, naming every one at once with the YAML to add", async () => {
    const yaml = [
      "name: classify",
      "prompt_path: prompts/classify.md",
      "student_model: acme-large",
      "teacher_model: acme-teacher",
      "evaluator_config: {type: exact_match}",
      "",
    ].join("\n");
    const { options, store } = await repo(yaml, feedback(120));
    const remote = { apiKey: "sk-test", baseURL: "https://llm.acme.example/v1" };
    const error = await optimizePrompt(options({ endpoint: remote })).catch((e: Error) => e);
    expect((error as Error).message).toContain('"acme-teacher", "acme-large"');
    expect((error as Error).message).toContain(
      "model_prices:\n  acme-teacher: { input_per_mtok: 0.5, output_per_mtok: 1.5 }\n  acme-large: { input_per_mtok: 0.5, output_per_mtok: 1.5 }",
    );

    // The dry run still shows the plan, in tokens.
    const plan = await planRun(store, "classify", { seed: "s", baseURL: remote.baseURL });
    expect(plan.plan.unpriced).toEqual(["acme-teacher", "acme-large"]);
    expect(plan.plan.estimate.lines.every((l) => l.inputTokens > 0)).toBe(true);

    // Served from this machine, the same models cost $0 and the plan says so.
    const local = await planRun(store, "classify", { seed: "s", baseURL: fake.baseURL });
    expect(local.plan.unpriced).toEqual([]);
    expect(local.priceNotes.join("\n")).toMatch(
      /acme-large: \$0 \(served from 127\.0\.0\.1:\d+, a local or private address/,
    );
  });

  it("refuses an unknown key inside evaluator_config, with a suggestion", async () => {
    const yaml =
      "name: classify\nprompt_path: prompts/classify.md\nevaluator_config:\n  type: exact_match\n  case_sensitiv: false\n";
    const { options } = await repo(yaml, feedback(60));
    await expect(optimizePrompt(options())).rejects.toThrow(
      /evaluator_config\.case_sensitiv: unknown key in evaluator_config \(did you mean "case_sensitive"\?\)/,
    );
    expect(fake.calls).toBe(0);
  });

  it("stops before the search when the judge's agreement with people is undefined", async () => {
    const yaml = "name: classify\nprompt_path: prompts/classify.md\ncost_budget: 2\n";
    const { options } = await repo(yaml, feedback(120, { constantScore: true }));
    fake.brain("gpt-4o-mini", () => JSON.stringify({ score: 0.5, critique: "fine" }));
    const result = await optimizePrompt(options());
    expect(result.candidate).toBeNull();
    expect(result.report).toContain("cannot be measured");
    expect(result.report).toMatch(/the judge's scores were all 0\.50; people's were all \d\.\d\d\./);
    expect(result.report).toContain("Neither varies: add feedback on good and bad outputs alike");
    expect(fake.callsByModel.get("gpt-4o")).toBeUndefined();
    expect(result.verdict).toBe("skipped");
  });

  it("says the judge is the problem when people's scores vary and the judge answers a constant", async () => {
    const yaml = "name: classify\nprompt_path: prompts/classify.md\ncost_budget: 2\n";
    const { options } = await repo(yaml, feedback(120));
    fake.brain("gpt-4o-mini", () => JSON.stringify({ score: 0.5, critique: "fine" }));
    const result = await optimizePrompt(options());
    expect(result.verdict).toBe("skipped");
    expect(result.report).toMatch(
      /Over \d+ logged outputs, the judge's scores were all 0\.50; people's were 0\.00 to 1\.00, σ = 0\.\d\d\./,
    );
    expect(result.report).toContain("The judge gives every output the same score");
    expect(result.report).toContain("evaluator_config: {rubric: …}");
    expect(result.report).not.toContain("Add feedback with varied scores");
  });

  it("refuses a proposal that adds a placeholder the active prompt lacks, before running it", async () => {
    const yaml =
      "name: classify\nprompt_path: prompts/classify.md\nstudent_model: gpt-4o-mini\nevaluator_config: {type: exact_match}\n";
    const { options } = await repo(yaml, feedback(120));
    fake.brain("gpt-4o-mini", student);
    fake.brain("gpt-4o", (r) =>
      JSON.stringify({
        template: `${RULES.refund}\nPlaceholder: {{placeholder}} (${r.seed})\nTicket: {{ticket}}\n`,
        rationale: "copied the instructions",
      }),
    );
    const result = await optimizePrompt(
      options({
        knobs: { initialProposals: 2, iterations: 2, minibatch: 6, stages: [20, 40] },
      }),
    );
    expect(result.candidate).toBeNull();
    const studentRequests = fake.requests.filter((r) => r.model === "gpt-4o-mini");
    expect(studentRequests.some((r) => r.messages.some((m) => m.content.includes("{{placeholder}}")))).toBe(
      false,
    );
    expect(result.report).not.toContain("A better prompt");
  });

  it("fails, saying so, when most of the teacher's answers cannot be read", async () => {
    const yaml = "name: classify\nprompt_path: prompts/classify.md\nevaluator_config: {type: exact_match}\n";
    const { options } = await repo(yaml, feedback(120));
    fake.brain("gpt-4o-mini", student);
    fake.brain("gpt-4o", () => "I would add a rule about refunds.");
    fake.behave("gpt-4o", { structured: "none" });
    await expect(optimizePrompt(options())).rejects.toThrow(
      /answers of the teacher model gpt-4o could not be read/,
    );
  });
});
