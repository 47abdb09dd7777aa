/** The API's answers other than success, shaped as FastAPI shapes them (`{"detail": ...}`). */
/** An answer other than success; `detail` is what the client reads. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
}

export const notFound = (what: string) => new HttpError(404, `${what} not found`);
