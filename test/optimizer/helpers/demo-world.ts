/**
 * A world where only demonstrations help: tickets must be labelled with codes (BIL-7, TEC-3)
 * that no rule names. The student answers a ticket right only when the prompt quotes an example
 * of the same kind with its code; the judge scores by that truth; the teacher's edits never help
 * (it cannot know the codes, and copying them from records is refused).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { newId, taskId } from "../../../src/core/ids.js";
import type { FeedbackResult } from "../../../src/core/records.js";
import { initRepository, LocalGitStore } from "../../../src/store/local-git-store.js";
import type { ChatRequest, FakeOpenAI } from "../../fakes/openai/server.js";
import { SEED_PROMPT, TASK_YAML } from "./world.js";

export const CODES = { refund: "BIL-7", crash: "TEC-3" } as const;
type Kind = keyof typeof CODES;

const TICKETS: Record<Kind, string[]> = {
  refund: [
    "I was charged twice",
    "Please return the payment",
    "Cancel my plan and pay me back",
    "Refund the invoice",
  ],
  crash: [
    "The app closes on start",
    "Blank screen after the update",
    "It freezes at login",
    "Error 500 on save",
  ],
};
const kindOf = (ticket: string): Kind =>
  TICKETS.refund.some((t) => ticket.startsWith(t)) ? "refund" : "crash";

/**
 * Logged feedback: half the entries right (people scored the code 1), half "general" (0); half
 * so that the score-stratified split leaves well-scored records in train.
 */
export function demoFeedback(count: number): FeedbackResult[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: Kind = i % 2 === 0 ? "refund" : "crash";
    const right = i % 4 < 2;
    return {
      id: newId(),
      task_id: taskId("local", "classify"),
      inputs: { ticket: `${TICKETS[kind][i % 4]} (#${1000 + i})` },
      output: right ? CODES[kind] : "general",
      score: right ? 1 : 0,
      source: "human",
      metadata: null,
      created_at: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString(),
    };
  });
}

/** @param taskLines more lines of the task file (`demonstrations: false`) */
export async function demoWorldRepo(
  count = 100,
  taskLines = "",
): Promise<{ dir: string; store: LocalGitStore }> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-demo-world-"));
  await initRepository(dir, {
    ".kaizen/tasks/classify.yml": `${TASK_YAML}${taskLines}`,
    "prompts/classify.md": SEED_PROMPT,
  });
  const store = await LocalGitStore.open(dir);
  await store.appendFeedback("classify", demoFeedback(count), { retentionLimit: 1000 });
  return { dir, store };
}

const lastUser = (r: ChatRequest) => r.messages.filter((m) => m.role === "user").at(-1)!.content;

export function installDemoBrains(fake: FakeOpenAI): void {
  fake.brain("sim-student", (r) => {
    const prompt = lastUser(r);
    // The case to answer is the template's own "Ticket:" line, the last one.
    const ticket = [...prompt.matchAll(/^Ticket: (.*)$/gm)].at(-1)?.[1] ?? "";
    const kind = kindOf(ticket);
    const examples = [...prompt.matchAll(/<example>\nticket: (.*)\nOutput: (.*)\n<\/example>/g)];
    const shown = examples.some((m) => kindOf(m[1]!) === kind && m[2] === CODES[kind]);
    return shown ? CODES[kind] : "general";
  });
  fake.brain("sim-judge", (r) => {
    const text = lastUser(r).split("Now evaluate this case.")[1] ?? "";
    const blocks = [...text.matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].map((m) => m[1]!);
    const ticket = (JSON.parse(blocks[0] ?? "{}") as { ticket?: string }).ticket ?? "";
    const right = (blocks[1] ?? "").trim() === CODES[kindOf(ticket)];
    return JSON.stringify({ score: right ? 1 : 0, critique: right ? "Correct." : "Wrong label code." });
  });
  fake.brain("sim-teacher", (r) => {
    const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(lastUser(r))![1]!;
    return JSON.stringify({
      template: `${template.trimEnd()}\nAnswer with the label only (${r.seed ?? 0}).\n`,
      rationale: "asked for the label only",
    });
  });
}
