/** Token counts for estimates and reservations: o200k_base, the encoding of OpenAI's current models. */
import { getEncoding, type Tiktoken } from "js-tiktoken";

let encoding: Tiktoken | null = null;

/** @example countTokens("Summarize the ticket.") // 4 */
export function countTokens(text: string): number {
  encoding ??= getEncoding("o200k_base");
  return encoding.encode(text).length;
}

/** Tokens of a chat request's messages, with the few tokens of framing each message costs. */
export function countMessageTokens(messages: readonly { role: string; content: string }[]): number {
  return messages.reduce((sum, m) => sum + countTokens(m.content) + 4, 3);
}
