/**
 * Token counts for estimates and reservations: o200k_base, the encoding of OpenAI's current models.
 *
 * gpt-tokenizer builds the encoding's tables when this module loads (~0.6 s, once a process,
 * before a server listens), never inside a request: js-tiktoken, used before, built them on the
 * first count, 1.5–5 s of synchronous work inside the first optimize request, which every other
 * request of the process waited behind. Both give the same counts.
 */
import { countTokens as countO200k } from "gpt-tokenizer/encoding/o200k_base";

/**
 * Text that spells a special token (`<|endoftext|>`) in a user's feedback or prompt is counted
 * as the text it is, as the model receives it, instead of throwing.
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** @example countTokens("Summarize the ticket.") // 6 */
export function countTokens(text: string): number {
  return countO200k(text, AS_TEXT);
}

/** Tokens of a chat request's messages, with the few tokens of framing each message costs. */
export function countMessageTokens(messages: readonly { role: string; content: string }[]): number {
  return messages.reduce((sum, m) => sum + countTokens(m.content) + 4, 3);
}
