/**
 * Every request of the SDK: a timeout, an X-Request-ID echoed in errors, and retries with
 * exponential backoff and jitter on network errors, timeouts, 429 (honouring Retry-After) and
 * 5xx, never on 409 or other 4xx. A POST carries one Idempotency-Key across all its retries,
 * so a retried `triggerOptimization` can never start two paid jobs.
 */
import { KaizenAPIError, KaizenRequestError } from "./errors.js";
import { uuidv7 } from "./ids.js";

export interface HttpOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
  /** Base of the backoff, in ms. */
  backoffMs?: number;
}

export interface HttpResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T>(
  options: HttpOptions,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResponse<T>> {
  const requestId = uuidv7();
  const idempotencyKey = method === "POST" ? uuidv7() : undefined;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl.replace(/\/$/, "")}${path}`, {
        method,
        headers: {
          "x-api-key": options.apiKey,
          "x-request-id": requestId,
          ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...extraHeaders,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      if (attempt >= options.maxRetries) {
        const timedOut = (error as Error).name === "TimeoutError";
        throw new KaizenRequestError(
          timedOut
            ? `Kaizen did not answer ${method} ${path} within ${options.timeoutMs} ms`
            : `cannot reach Kaizen at ${options.baseUrl}: ${(error as Error).message}`,
          requestId,
          { cause: error },
        );
      }
      await sleep(backoff(options, attempt, null));
      continue;
    }
    if (response.status === 304) return { status: 304, body: undefined as T, headers: response.headers };
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: kept as text for the error.
    }
    if (response.ok) return { status: response.status, body: parsed as T, headers: response.headers };
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= options.maxRetries)
      throw new KaizenAPIError(response.status, parsed, response.headers, requestId);
    await sleep(backoff(options, attempt, response.headers.get("retry-after")));
  }
}

function backoff(options: HttpOptions, attempt: number, retryAfter: string | null): number {
  const seconds = Number(retryAfter);
  if (retryAfter !== null && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const base = options.backoffMs ?? 500;
  return Math.min(base * 2 ** attempt, 30_000) * (0.5 + Math.random() / 2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
