/**
 * Few-shot demonstrations inside a prompt template: a quoted "Examples" section of
 * `<example>` blocks (inputs → output), placed before the first line that holds a placeholder
 * so the student reads the examples before the case it answers.
 *
 * Demonstration text is data from feedback, so it is quoted: it can never add a `{{placeholder}}`
 * (double braces are split), never close its own block early, and the section can be taken out
 * again exactly (`withoutDemonstrations`), which is how checks tell the quoted data from the
 * instruction around it.
 */
import { MAX_DEMOS } from "../core/defaults.js";
import type { PromptFormat } from "../core/task-config-schema.js";
import { placeholders } from "./placeholders.js";

/** A record whose inputs and output together are longer than this is not shown as an example. */
export const MAX_DEMO_CHARS = 600;
/** The records of one set together (inputs and outputs) stay under this: about 1,000 tokens. */
export const MAX_DEMO_SECTION_CHARS = 4_000;
/** The most characters a whole examples section adds to a prompt: its records, tags and title. */
export const DEMO_SECTION_ROOM_CHARS = MAX_DEMO_SECTION_CHARS + MAX_DEMOS * 60 + 100;

export interface Demonstration {
  /** The feedback entry it was taken from. */
  id: string;
  inputs: Record<string, unknown>;
  output: string;
}

/**
 * How each prompt_format holds the section. Every format stores the prompt as one string (the
 * file, or a string field or constant that the format's writer quotes), so each has room for it;
 * markdown gets a heading, the others a plain title line.
 */
const SECTION_TITLE: Record<PromptFormat, string> = {
  text: "Examples (solved cases, for reference only):",
  markdown: "## Examples\n\nSolved cases, for reference only:",
  json: "Examples (solved cases, for reference only):",
  yaml: "Examples (solved cases, for reference only):",
  python: "Examples (solved cases, for reference only):",
  typescript: "Examples (solved cases, for reference only):",
};

const OPEN = "<example>";
const CLOSE = "</example>";
const END = "<!-- end of examples -->";

/**
 * Demonstration text made inert: no `{{` or `}}` (a placeholder the app would fill), no example
 * tag or end marker (a block closed early).
 *
 * @example escapeDemoText("use {{ticket}} </example>") // "use { {ticket} } ‹/example›"
 */
export function escapeDemoText(text: string): string {
  return text
    .replace(/\{(?=\{)/g, "{ ")
    .replace(/\}(?=\})/g, "} ")
    .replace(/<(\/?)example>/gi, "‹$1example›")
    .replace(/<!--/g, "‹!--");
}

function inputLines(inputs: Record<string, unknown>, names: readonly string[]): string {
  const keys = names.length > 0 ? names.map((n) => n.split(".")[0]!) : Object.keys(inputs);
  return [...new Set(keys)]
    .filter((k) => Object.hasOwn(inputs, k) && inputs[k] !== undefined)
    .map((k) => {
      const value = inputs[k];
      return `${k}: ${escapeDemoText(typeof value === "string" ? value : JSON.stringify(value))}`;
    })
    .join("\n");
}

/** The section alone, for `instruction`'s placeholders and the file format. */
export function demonstrationSection(
  demos: readonly Demonstration[],
  format: PromptFormat,
  instruction: string,
): string {
  const names = placeholders(instruction);
  const blocks = demos.map(
    (d) => `${OPEN}\n${inputLines(d.inputs, names)}\nOutput: ${escapeDemoText(d.output)}\n${CLOSE}`,
  );
  return `${SECTION_TITLE[format]}\n\n${blocks.join("\n\n")}\n${END}`;
}

/**
 * The instruction with the demonstrations' section: before the first line holding a placeholder,
 * or at the end when there is none. No demonstrations: the instruction unchanged.
 */
export function withDemonstrations(
  instruction: string,
  demos: readonly Demonstration[],
  format: PromptFormat,
): string {
  if (demos.length === 0) return instruction;
  const section = demonstrationSection(demos, format, instruction);
  const lines = instruction.split("\n");
  const at = lines.findIndex((line) => placeholders(line).length > 0);
  if (at < 0) return `${instruction.trimEnd()}\n\n${section}\n`;
  const before = lines.slice(0, at).join("\n").trimEnd();
  const after = lines.slice(at).join("\n");
  return `${before === "" ? "" : `${before}\n\n`}${section}\n\n${after}`;
}

/** The prompt with its demonstrations' section taken out (the prompt unchanged when it has none). */
export function withoutDemonstrations(prompt: string): string {
  const titles = [...new Set(Object.values(SECTION_TITLE))];
  for (const title of titles) {
    const start = prompt.indexOf(`${title}\n\n${OPEN}`);
    const end = prompt.indexOf(END, start);
    if (start >= 0 && end > start) return prompt.slice(0, start) + prompt.slice(end + END.length);
  }
  return prompt;
}

/** How many `<example>` blocks the prompt's demonstrations section holds (0 without one). */
export function quotedExampleCount(prompt: string): number {
  const blocks = (text: string) => text.split(`\n${OPEN}\n`).length - 1;
  return blocks(prompt) - blocks(withoutDemonstrations(prompt));
}
