/**
 * The prompt a task starts from when it is created without one. A task without a prompt is
 * what DSPy starts from, a signature: what the task does (its description) and the names of
 * its inputs. Written as a template with a `{{placeholder}}` per input, it is a prompt the
 * student can run and the first optimization can improve, instead of a task that answers 404
 * to `get_prompt` and 422 to `trigger_optimization` until someone writes a file.
 */
/** The name of the one input when a request names none (DSPy's signatures name theirs too). */
export declare const DEFAULT_INPUT = "input";
/** An input's name as a placeholder fills it: a key of a feedback entry's `inputs`. */
export declare const INPUT_NAME: RegExp;
/** Where a task created without a `prompt_path` keeps its prompt. */
export declare function defaultPromptPath(task: string): string;
/**
 * @example baselinePrompt({ name: "summarize_ticket", description: "Summarize the ticket." }, ["ticket"])
 * // "Summarize the ticket.\n\nticket:\n{{ticket}}\n"
 */
export declare function baselinePrompt(task: {
    name: string;
    description: string | null;
}, inputs?: readonly string[]): string;
