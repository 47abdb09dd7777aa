/** Request validation with the zod records: a 422 that lists the path of every bad field. */
import type { z } from "zod";
import { describeIssue } from "../../core/zod-issues.js";
import { HttpError } from "./http-error.js";

export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * @example parseWith(FeedbackInput, body, ["body"]) // throws HttpError(422, [{ loc: ["body", "score"], msg, type }])
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: (string | number)[] = ["body"],
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(422, fieldErrors(result.error, value, location));
}

export function fieldErrors(error: z.ZodError, value: unknown, location: (string | number)[]): FieldError[] {
  return error.issues.map((issue) => ({
    loc: [...location, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))],
    msg: describeIssue(issue, value).message,
    type: issue.code,
  }));
}

/** An integer query parameter within bounds, or a 422 naming it. */
export function intQuery(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(422, [
      {
        loc: ["query", name],
        msg: `must be an integer from ${min} to ${max}, got "${raw}"`,
        type: "int_parsing",
      },
    ]);
  }
  return value;
}
