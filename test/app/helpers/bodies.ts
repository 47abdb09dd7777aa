/** Request bodies the API tests send, hostile ones included. */

/** A valid feedback entry for `summarize_ticket` with the given id. */
export const feedbackEntry = (id: string) => ({
  id,
  task_id: "summarize_ticket",
  inputs: { ticket: id },
  output: "ok",
  score: 1,
});

/**
 * `{"a": {"a": … "leaf" …}}`, `depth` levels deep, as JSON text: the client's own JSON.stringify
 * would overflow on it, as the server's used to.
 */
export const nested = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${"}".repeat(depth)}`;

/** A JSON body with `raw` fields spliced in as text. */
export const body = (fields: Record<string, unknown>, raw: Record<string, string> = {}) =>
  `${JSON.stringify(fields).slice(0, -1)}${Object.entries(raw)
    .map(([key, text]) => `,${JSON.stringify(key)}:${text}`)
    .join("")}}`;
