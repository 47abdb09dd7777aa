/**
 * A small, deterministic world for optimizer tests: support tickets about refunds or crashes.
 * The student labels a ticket correctly only when the prompt states the rule for its kind; the
 * judge scores by that truth and names the missing rule; the teacher adds the rules the
 * critiques name. A "null" teacher proposes edits that change nothing the student cares about.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { newId, taskId } from "../../../src/core/ids.js";
import type { FeedbackResult } from "../../../src/core/records.js";
import { initRepository, LocalGitStore } from "../../../src/store/local-git-store.js";
import type { ChatRequest, FakeOpenAI } from "../../fakes/openai/server.js";

export const RULES = {
  refund: "Tickets about refunds are billing.",
  crash: "Tickets about crashes are technical.",
} as const;
const TRUTH = { refund: "billing", crash: "technical" } as const;
type Kind = keyof typeof RULES;

const TICKETS: Record<Kind, string[]> = {
  refund: [
    "I was charged twice and want my money back",
    "Please return the payment for order",
    "Cancel my plan and pay me back",
    "Money back for the duplicate invoice",
  ],
  crash: [
    "The app closes when I open settings",
    "Blank screen after the latest update",
    "It freezes on the login page",
    "Error 500 when saving a draft",
  ],
};

const kindOf = (ticket: string): Kind =>
  TICKETS.refund.some((t) => ticket.startsWith(t)) ? "refund" : "crash";

export const TASK_YAML = [
  "name: classify",
  "description: Label a support ticket as billing or technical.",
  "prompt_path: prompts/classify.md",
  "teacher_model: sim-teacher",
  "judge_model: sim-judge",
  "student_model: sim-student",
  "cost_budget: 5",
  "model_prices:",
  "  sim-teacher: { input_per_mtok: 2.5, output_per_mtok: 10 }",
  "  sim-judge: { input_per_mtok: 0.15, output_per_mtok: 0.6 }",
  "  sim-student: { input_per_mtok: 0.15, output_per_mtok: 0.6 }",
  "",
].join("\n");
export const SEED_PROMPT = "Label the support ticket below with one word.\n\nTicket: {{ticket}}\n";

/** Logged feedback: the active prompt answered "general" (score 0) except on a few it got right. */
export function loggedFeedback(count: number, repoKey = "local"): FeedbackResult[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: Kind = i % 2 === 0 ? "refund" : "crash";
    const ticket = `${TICKETS[kind][i % 4]} (#${1000 + i})`;
    const right = i % 5 === 0;
    return {
      id: newId(),
      task_id: taskId(repoKey, "classify"),
      inputs: { ticket },
      output: right ? TRUTH[kind] : "general",
      score: right ? 1 : 0,
      source: "human",
      metadata: null,
      created_at: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString(),
    };
  });
}

export async function worldRepo(feedbackCount = 60): Promise<{ dir: string; store: LocalGitStore }> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-world-"));
  await initRepository(dir, { ".kaizen/tasks/classify.yml": TASK_YAML, "prompts/classify.md": SEED_PROMPT });
  const store = await LocalGitStore.open(dir);
  await store.appendFeedback("classify", loggedFeedback(feedbackCount), { retentionLimit: 1000 });
  return { dir, store };
}

const lastUser = (r: ChatRequest) => r.messages.filter((m) => m.role === "user").at(-1)!.content;

/** Installs the brains; `teacher: "null"` makes a teacher whose edits never help. */
export function installBrains(fake: FakeOpenAI, options: { teacher?: "learns" | "null" } = {}): void {
  fake.brain("sim-student", (r) => {
    const prompt = lastUser(r);
    const ticket = /Ticket: (.*)/.exec(prompt)?.[1] ?? "";
    const kind = kindOf(ticket);
    return prompt.includes(RULES[kind]) ? TRUTH[kind] : "general";
  });
  fake.brain("sim-judge", (r) => {
    const text = lastUser(r).split("Now evaluate this case.")[1] ?? "";
    const blocks = [...text.matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].map((m) => m[1]!);
    const ticket = (JSON.parse(blocks[0] ?? "{}") as { ticket?: string }).ticket ?? "";
    const output = (blocks[1] ?? "").trim();
    const kind = kindOf(ticket);
    const right = output === TRUTH[kind];
    return JSON.stringify({
      score: right ? 1 : 0,
      critique: right ? "Correct." : `Wrong label: the prompt must say that ${RULES[kind].toLowerCase()}`,
    });
  });
  fake.brain("sim-teacher", (r) => {
    const prompt = lastUser(r);
    const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(prompt)![1]!;
    if (options.teacher === "null")
      return JSON.stringify({
        template: `${template.trimEnd()}\nAnswer politely (${r.seed ?? 0}).\n`,
        rationale: "asked for politeness",
      });
    const named = (Object.keys(RULES) as Kind[]).filter(
      (k) => prompt.toLowerCase().includes(RULES[k].toLowerCase()) && !template.includes(RULES[k]),
    );
    if (named.length === 0)
      return JSON.stringify({
        template: `${template.trimEnd()}\nBe brief (${r.seed ?? 0}).\n`,
        rationale: "asked for brevity",
      });
    const rule = RULES[named[0]!];
    return JSON.stringify({
      template: template.replace("Ticket: {{ticket}}", `${rule}\nTicket: {{ticket}}`),
      rationale: `added the rule "${rule}" the critiques asked for`,
    });
  });
}
