/**
 * The prompt a task starts from when it is created without one. A task without a prompt is
 * what DSPy starts from, a signature: what the task does (its description) and the names of
 * its inputs. Written as a template with a `{{placeholder}}` per input, it is a prompt the
 * student can run and the first optimization can improve, instead of a task that answers 404
 * to `get_prompt` and 422 to `trigger_optimization` until someone writes a file.
 */

/** The name of the one input when a request names none (DSPy's signatures name theirs too). */
export const DEFAULT_INPUT = "input";

/** An input's name as a placeholder fills it: a key of a feedback entry's `inputs`. */
export const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a task created without a `prompt_path` keeps its prompt. */
export function defaultPromptPath(task: string): string {
  return `prompts/${task}.md`;
}

/**
 * @example baselinePrompt({ name: "summarize_ticket", description: "Summarize the ticket." }, ["ticket"])
 * // "Summarize the ticket.\n\nticket:\n{{ticket}}\n"
 */
export function baselinePrompt(
  task: { name: string; description: string | null },
  inputs: readonly string[] = [DEFAULT_INPUT],
): string {
  const what = task.description?.trim() || `Do the task "${task.name}" for the input below.`;
  return `${what}\n\n${inputs.map((name) => `${name}:\n{{${name}}}`).join("\n\n")}\n`;
}
