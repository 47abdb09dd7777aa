/**
 * The SDK's errors, after openai-node: one root, an API error carrying the status, the parsed
 * body, the headers, FastAPI's `detail` and the request id, a request error for the network,
 * and a configuration error.
 */
import { KaizenError } from "../core/errors.js";

export { KaizenError };

export class KaizenConfigError extends KaizenError {
  override name = "KaizenConfigError";
}

/** The server answered with an error status. */
export class KaizenAPIError extends KaizenError {
  override name = "KaizenAPIError";
  readonly detail: unknown;
  constructor(
    readonly status: number,
    readonly payload: unknown,
    readonly headers: Headers,
    readonly requestId: string,
  ) {
    const detail = (payload as { detail?: unknown } | null)?.detail ?? payload;
    super(
      `Kaizen API ${status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)} (request ${requestId})`,
    );
    this.detail = detail;
  }
}

/** The request never got an answer: network failure or timeout; `cause` says which. */
export class KaizenRequestError extends KaizenError {
  override name = "KaizenRequestError";
  constructor(
    message: string,
    readonly requestId: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (request ${requestId})`, options);
  }
}
