/**
 * The prompt's change, two ways: a word-level diff a reviewer reads in the page (HTML that wraps,
 * removed words struck out, added words bold and underlined, only the changed lines with a line of context), and a unified
 * line diff that `git apply` takes. Both from jsdiff.
 */
import { diffWords, structuredPatch } from "diff";
import { escapeHtml } from "./markdown.js";

/** @example unifiedDiff("a\nb\n", "a\nc\n") // "--- a/prompt\n+++ b/prompt\n@@ -1,2 +1,2 @@\n a\n-b\n+c" */
export function unifiedDiff(
  before: string,
  after: string,
  context = 3,
  names = { before: "a/prompt", after: "b/prompt" },
): string {
  const patch = structuredPatch(names.before, names.after, before, after, undefined, undefined, { context });
  const out = [`--- ${names.before}`, `+++ ${names.after}`];
  for (const hunk of patch.hunks)
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines);
  return out.join("\n");
}

type Segment = { text: string; change: "same" | "added" | "removed" };

/**
 * The word-level diff as one HTML block GitHub renders and wraps: removed words in <del>,
 * added words in <ins>, unchanged lines far from any change folded into "…". Everything from
 * the prompt is escaped, so a prompt's own Markdown or HTML shows as text.
 */
export function wordDiffHtml(before: string, after: string, contextLines = 1): string {
  const lines: Segment[][] = [[]];
  for (const part of diffWords(before, after)) {
    const change = part.added ? "added" : part.removed ? "removed" : "same";
    part.value.split("\n").forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece) lines.at(-1)!.push({ text: piece, change });
    });
  }
  const changed = lines.map((segments) => segments.some((s) => s.change !== "same"));
  // Context is counted in lines with text: a blank line next to a change says nothing.
  const shown = changed.slice();
  changed.forEach((isChanged, i) => {
    if (!isChanged) return;
    for (const step of [-1, 1]) {
      let found = 0;
      for (let j = i + step; j >= 0 && j < lines.length && found < contextLines; j += step) {
        shown[j] = true;
        if (lines[j]!.length > 0 && !changed[j]) found++;
      }
    }
  });
  const html: string[] = [];
  lines.forEach((segments, i) => {
    if (!shown[i]) {
      if (html.at(-1) !== "…") html.push("…");
      return;
    }
    html.push(
      segments
        .map(({ text, change }) =>
          change === "same"
            ? escapeHtml(text)
            : change === "added"
              ? `<ins><b>${escapeHtml(text)}</b></ins>`
              : `<del>${escapeHtml(text)}</del>`,
        )
        .join(""),
    );
  });
  if (!changed.some(Boolean)) return "<p><em>The text is the same.</em></p>";
  // One HTML block with no blank line inside, so Markdown leaves it alone.
  return `<blockquote>\n${html.map((line) => `${line}<br>`).join("\n")}\n</blockquote>`;
}
