/**
 * GitHub's limits on what Kaizen writes, and the one function every body goes through so that
 * no caller has to remember them: a body over the limit is cut, with a note that says how much
 * was left out and where the full text is, instead of a 422 that loses the whole report.
 */

/** Stated in GitHub's docs (prose, not the OpenAPI schema). */
export const GITHUB_LIMITS = {
  /** Pull request, issue and comment bodies (characters). */
  issueBody: 65_536,
  /** A check run's `output.summary` and `output.text` (characters). */
  checkRunText: 65_535,
  /** Annotations in one check-run create or update request. */
  annotationsPerRequest: 50,
} as const;

/**
 * Fits `text` into `limit` characters. Text that fits comes back unchanged. Longer text keeps its
 * beginning (where the hidden markers and the verdict are), cut at the last section heading when
 * that keeps at least half of it, else at a line; closes what the cut left open (a code fence,
 * `<details>`, `<blockquote>`); never splits a surrogate pair; and ends with a note naming
 * `pointer`, the place that holds the full text.
 *
 * @example
 * const body = fitBody(report, GITHUB_LIMITS.issueBody, "the job record jobs/summarize/0193….json on branch kaizen/data");
 */
export function fitBody(text: string, limit: number, pointer: string): string {
  if (text.length <= limit) return text;
  const note = (omitted: number) =>
    `\n\n---\n\n**This text was shortened to fit GitHub's limit of ${limit.toLocaleString("en-US")} characters: ${omitted.toLocaleString("en-US")} characters were left out.** The full report: ${pointer}\n`;
  // Room for the note (its length barely varies with the count) and for closing what is open.
  const budget = Math.max(0, limit - note(text.length).length - 200);
  const lines = text.split("\n");
  let fit = 0;
  let length = 0;
  let lastSection = 0;
  let sectionLength = 0;
  while (fit < lines.length && length + lines[fit]!.length + 1 <= budget) {
    if (/^(#{2,3} |---$)/.test(lines[fit]!)) [lastSection, sectionLength] = [fit, length];
    length += lines[fit]!.length + 1;
    fit++;
  }
  const atSection = sectionLength >= budget / 2;
  const kept = lines.slice(0, atSection ? lastSection : fit);
  if (!atSection && fit < lines.length && length < budget) {
    // A line longer than what is left: keep its start, but never half of a surrogate pair.
    let end = budget - length;
    const code = lines[fit]!.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    kept.push(lines[fit]!.slice(0, end));
  }
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
  const head = kept.join("\n");
  return `${head}${note(text.length - head.length)}`;
}
