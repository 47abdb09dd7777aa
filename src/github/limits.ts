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
 * Fits `text` into `limit` characters. Text that fits comes back unchanged; longer text keeps
 * its beginning (where the hidden markers and the summary are), closes a code fence left open,
 * and ends with a note naming `pointer`, the place that holds the full report.
 *
 * @example
 * const body = fitBody(report, GITHUB_LIMITS.issueBody, "the job record jobs/summarize/0193….json on branch kaizen/data");
 */
export function fitBody(text: string, limit: number, pointer: string): string {
  if (text.length <= limit) return text;
  const note = (omitted: number) =>
    `\n\n---\n_This text was cut to fit GitHub's limit of ${limit.toLocaleString("en-US")} characters; ${omitted.toLocaleString("en-US")} characters were left out. The full report: ${pointer}._\n`;
  // Reserve room for the note (its length barely varies with the count) and a closing fence.
  let keep = Math.max(0, limit - note(text.length).length - "\n```\n".length);
  // Never split a surrogate pair: a lone half is not a character GitHub accepts.
  const code = text.charCodeAt(keep - 1);
  if (code >= 0xd800 && code <= 0xdbff) keep--;
  let head = text.slice(0, keep);
  const fences = head.match(/^```/gm)?.length ?? 0;
  if (fences % 2 === 1) head += "\n```";
  return head + note(text.length - keep);
}
