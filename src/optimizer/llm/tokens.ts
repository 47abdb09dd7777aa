/**
 * Token counts for estimates and reservations: o200k_base, the encoding of OpenAI's current models.
 *
 * The encoding's tables (~70 MB once built, ~0.6 s to build) load on the first `loadTokenizer()`,
 * not when this module is imported: a server imports the optimizer's modules (the API plans a
 * run's estimate with them) and would otherwise hold the tables for good, and fork its git
 * processes from that much more memory. Every run loads them before its first count (`planRun`,
 * the pipeline, the gateway), in the process or thread that runs it; kaizen serve plans its
 * estimates on a thread (estimate-thread.ts), so its event loop never builds them. js-tiktoken,
 * used before, built them inside the first count instead: 1.5–5 s of synchronous work in the
 * first optimize request, which every other request of the process waited behind.
 */
import type * as O200k from "gpt-tokenizer/encoding/o200k_base";
import { KaizenError } from "../../core/errors.js";

type Encoding = typeof O200k;

let encoding: Encoding | null = null;
let loading: Promise<void> | null = null;

/** Loads the tokenizer once a process (or thread); resolves at once when it is loaded. */
export function loadTokenizer(): Promise<void> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((module) => void (encoding = module));
  loading.catch(() => (loading = null));
  return loading;
}

/**
 * Text that spells a special token (`<|endoftext|>`) in a user's feedback or prompt is counted
 * as the text it is, as the model receives it, instead of throwing.
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** @example await loadTokenizer(); countTokens("Summarize the ticket.") // 6 */
export function countTokens(text: string): number {
  if (!encoding)
    throw new KaizenError("token counts need the tokenizer: await loadTokenizer() before the first count");
  return encoding.countTokens(text, AS_TEXT);
}

/** Tokens of a chat request's messages, with the few tokens of framing each message costs. */
export function countMessageTokens(messages: readonly { role: string; content: string }[]): number {
  return messages.reduce((sum, m) => sum + countTokens(m.content) + 4, 3);
}
