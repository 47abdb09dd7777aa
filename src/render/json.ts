/**
 * `json`: a JSON object whose prompt is the string under one of PROMPT_KEYS (the first found).
 * Rewriting replaces only that string literal in the text, so key order, indentation and every
 * other value stay byte for byte.
 */
import { PromptFormatError, type PromptFile } from "./format.js";

export const PROMPT_KEYS = ["prompt", "template", "system_prompt", "system", "instructions"] as const;

function locate(text: string): { key: string; start: number; end: number; value: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PromptFormatError(`the prompt file is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new PromptFormatError('the JSON prompt file must be an object with a "prompt" string');
  const key = PROMPT_KEYS.find((k) => typeof (parsed as Record<string, unknown>)[k] === "string");
  if (!key)
    throw new PromptFormatError(
      `the JSON prompt file has no string field ${PROMPT_KEYS.map((k) => `"${k}"`).join(", ")}`,
    );
  // The first occurrence of `"key":` at the object's top level; nested objects come later or
  // use other keys in practice, and the value is checked against the parsed one below.
  const pattern = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`, "g");
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const literal = match[1]!;
    if (JSON.parse(literal) === (parsed as Record<string, string>)[key]) {
      const start = match.index + match[0].length - literal.length;
      return { key, start, end: start + literal.length, value: JSON.parse(literal) as string };
    }
  }
  throw new PromptFormatError(`could not find the "${key}" string in the JSON text`);
}

export const jsonFile: PromptFile = {
  read: (text) => locate(text).value,
  write(text, template) {
    const { start, end } = locate(text);
    return text.slice(0, start) + JSON.stringify(template) + text.slice(end);
  },
  create: (template) => `${JSON.stringify({ prompt: template }, null, 2)}\n`,
};
