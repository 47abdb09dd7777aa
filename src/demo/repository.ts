/**
 * What `kaizen demo` starts from: a repository with one prompt and its task, whose three models
 * are the simulated ones, and a production log of that prompt (its summaries of real-looking
 * tickets, each scored by a person) as a JSONL file of the kind `kaizen feedback import` reads.
 */
import { SIMULATED_MODELS } from "./simulated-model.js";
import { summarize, tickets, trueScore, unit } from "./tickets.js";

export const DEMO_TASK = "summarize_ticket";
export const DEMO_PROMPT_PATH = "prompts/summarize_ticket.md";
export const DEMO_FEEDBACK_FILE = "production-feedback.jsonl";
const FEEDBACK_ENTRIES = 120;

export const DEMO_PROMPT =
  "You are a support engineer. Summarize the ticket below in one sentence.\n\nTicket:\n{{ticket}}\n";

export const DEMO_REPOSITORY_FILES: Readonly<Record<string, string>> = {
  [`.kaizen/tasks/${DEMO_TASK}.yml`]: [
    "# A task of `kaizen demo`: its three models are SIMULATED, served on this machine (so free).",
    `name: ${DEMO_TASK}`,
    "description: Summarize a customer support ticket in one sentence for the on-call engineer.",
    `prompt_path: ${DEMO_PROMPT_PATH}`,
    "prompt_format: markdown",
    "feedback_threshold: 100",
    "cost_budget: 1.00",
    `teacher_model: ${SIMULATED_MODELS.teacher}`,
    `judge_model: ${SIMULATED_MODELS.judge}`,
    `student_model: ${SIMULATED_MODELS.student}`,
    "",
  ].join("\n"),
  [DEMO_PROMPT_PATH]: DEMO_PROMPT,
};

/** The prompt's production log: what it answered, and the score a person gave it. */
export function demoFeedbackJsonl(): string {
  return tickets(FEEDBACK_ENTRIES)
    .map((t) => {
      const output = summarize(DEMO_PROMPT.replace("{{ticket}}", t.text), t);
      const truth = trueScore(t, output);
      // People are not perfectly consistent: one score in ten is a quarter off.
      const noise = unit("person", t.number);
      const score =
        noise < 0.05 ? Math.max(0, truth - 0.25) : noise > 0.95 ? Math.min(1, truth + 0.25) : truth;
      return JSON.stringify({
        task_id: DEMO_TASK,
        inputs: { ticket: t.text },
        output,
        score,
        source: "support-lead",
        metadata: { ticket: t.number },
      });
    })
    .join("\n")
    .concat("\n");
}
