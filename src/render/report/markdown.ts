/**
 * Small writers of GitHub-flavoured Markdown for the report: text that cannot break a table or
 * inject HTML, text shortened at a word, code fences that survive backticks in the prompt, and
 * bodies fitted to GitHub's size limits.
 */

/** GitHub refuses a pull request, issue or comment body longer than this (characters). */
export const ISSUE_BODY_LIMIT = 65_536;
/** GitHub refuses a check run's output summary or text longer than this (characters). */
export const CHECK_RUN_TEXT_LIMIT = 65_535;

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

/**
 * Fits a body into GitHub's limit. It is cut at the start of the last section ("## ", "### ",
 * "---") that fits, or at a line when that would lose more than half of what fits; then an open
 * code fence, <blockquote> or <details> is closed, so what remains still renders, and `pointer`
 * says where the whole report is.
 */
export function fitBody(body: string, limit: number, pointer: string): string {
  if (body.length <= limit) return body;
  const note = `\n\n---\n\n**This report was shortened to fit GitHub's limit of ${limit.toLocaleString("en-US")} characters.** ${pointer}\n`;
  const budget = limit - note.length - 200;
  const lines = body.split("\n");
  let fit = 0;
  let length = 0;
  let lastSection = 0;
  let sectionLength = 0;
  while (fit < lines.length && length + lines[fit]!.length + 1 <= budget) {
    if (/^(#{2,3} |---$)/.test(lines[fit]!)) [lastSection, sectionLength] = [fit, length];
    length += lines[fit]!.length + 1;
    fit++;
  }
  const kept = lines.slice(0, sectionLength >= budget / 2 ? lastSection : fit);
  // Close what the cut left open, innermost first.
  let openFence: string | null = null;
  const open: string[] = [];
  for (const line of kept) {
    const marks = /^(`{3,})/.exec(line)?.[1];
    if (marks && openFence === null) openFence = marks;
    else if (marks && line.trim() === openFence) openFence = null;
    else if (openFence === null)
      for (const m of line.matchAll(/<(\/?)(details|blockquote)\b/g))
        if (m[1]) open.pop();
        else open.push(m[2]!);
  }
  if (openFence !== null) kept.push(openFence);
  while (open.length) kept.push("", `</${open.pop()}>`);
  return `${kept.join("\n")}${note}`;
}
