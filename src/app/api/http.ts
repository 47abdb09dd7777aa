/**
 * HTTP plumbing of Kaizen's API on plain node:http: errors as FastAPI shapes them (the seeds'
 * service was FastAPI: `{"detail": ...}`), bodies read with a size limit, JSON responses.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkJsonLimits } from "./json-limits.js";

// The error type lives in its own module so that the body checks this plumbing runs can throw it
// without importing the plumbing back.
export { HttpError, notFound } from "./http-error.js";
import { HttpError } from "./http-error.js";

/**
 * The request's target as a URL. Node hands over whatever the client sent (`//`, `//[`,
 * `http://x:99999/`); what `new URL()` refuses is a 400, never an exception.
 */
export function parseRequestTarget(target: string | undefined): URL {
  try {
    return new URL(target ?? "/", "http://kaizen");
  } catch {
    throw new HttpError(400, `the request target ${JSON.stringify(target)} is not a valid URL path`);
  }
}

/** A path segment, decoded: a malformed percent-escape (`%ZZ`) is a 400 naming it. */
export function decodePathSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `the path segment "${segment}" has a malformed percent-escape`);
  }
  // One segment names one thing: an escaped '/' never reaches another record's path.
  if (decoded.includes("/"))
    throw new HttpError(404, `nothing is named "${decoded}" (an id is one path segment)`);
  return decoded;
}

/**
 * Reads a JSON body of at most `limit` bytes: 413 beyond it, 422 when it is not JSON or breaks
 * the limits of free-form JSON (json-limits.ts).
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, `request body of ${declared} bytes is over the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, `request body is over the limit of ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(422, [
      { loc: ["body"], msg: `body is not valid JSON: ${(error as Error).message}`, type: "json_invalid" },
    ]);
  }
  checkJsonLimits(body);
  return body;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { "content-type": "application/json" } : {}), ...headers });
  res.end(text);
}
