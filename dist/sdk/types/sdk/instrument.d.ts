/**
 * `instrument(openai, { client })`: records every `chat.completions.create` and
 * `responses.create` as a Kaizen trace (prompt, response, model, tokens, latency, the calling
 * file and line), without changing the request or the objects returned: `.withResponse()`,
 * `.asResponse()` and streams keep working, other methods are untouched. The response gets a
 * `ct_trace_id` for a later `score`. Recording never fails or slows the call: traces go to the
 * client's background queue, and when Kaizen is down they are dropped with a counted warning.
 */
import type { KaizenClient } from "./client.js";
export interface InstrumentOptions {
    client: KaizenClient;
    /** The task every call is for; otherwise the task whose prompt (from getPrompt) the call sends. */
    task?: string;
}
/**
 * Whether `prompt` is `template` with its placeholders filled: every literal piece of the
 * template appears in the prompt, in order. A template with no literal text at all (only
 * placeholders) matches nothing: the empty string is in every prompt, so it cannot say which
 * task a call is for.
 *
 * @example templateMatches("{{ticket}}\n\nSummarize it.", "Login fails\n\nSummarize it.") // true
 */
export declare function templateMatches(template: string, prompt: string): boolean;
/**
 * @example
 * const openai = instrument(new OpenAI(), { client: kaizen, task: "summarize_ticket" });
 * const reply = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
 * await kaizen.score(reply.ct_trace_id, 0.9, "human-review");
 */
export declare function instrument<T extends object>(openai: T, options: InstrumentOptions): T;
