/**
 * Small writers of GitHub-flavoured Markdown for the report: text that cannot break a table or
 * inject HTML, text shortened at a word, code fences that survive backticks in the prompt, and
 * the limits of GitHub bodies (fitted by `fitBody` in src/github/limits.ts).
 */
import { GITHUB_LIMITS } from "../github/limits.js";

/** GitHub refuses a pull request, issue or comment body longer than this (characters). */
export const ISSUE_BODY_LIMIT = GITHUB_LIMITS.issueBody;
/** GitHub refuses a check run's output summary or text longer than this (characters). */
export const CHECK_RUN_TEXT_LIMIT = GITHUB_LIMITS.checkRunText;

/** Escapes the characters HTML gives a meaning to, so logged text is shown, never interpreted. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Shortens text to at most `max` characters at a word boundary, ending with an ellipsis.
 * @example shorten("the quick brown fox", 12) // "the quick…"
 */
export function shorten(text: string, max: number): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  // A single word longer than the limit is cut inside it: better than showing nothing.
  const head = space > max / 2 ? cut.slice(0, space) : cut;
  return `${head.trimEnd()}…`;
}

/**
 * Text for one table cell: shortened, HTML escaped, pipes escaped, line breaks kept as <br>.
 * Backslashes are doubled so that "\|" in logged text stays text.
 */
export function cell(text: string, max = 280): string {
  return escapeHtml(shorten(text, max))
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, "<br>");
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
export function fence(text: string, lang = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${lang}\n${text.replace(/\n$/, "")}\n${marks}`;
}

/** A collapsible section; the blank lines let GitHub render the Markdown inside it. */
export function details(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** Points of a 0–1 score: "+8.0", "−3.0" (a real minus sign, which does not wrap from its number). */
export const points = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;
