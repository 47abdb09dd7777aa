/**
 * Limits on the free-form JSON a body may carry (`inputs`, `metadata`), checked at the edge
 * before anything else touches the value: a document nested a few thousand levels deep
 * overflows the stack of every recursive walker after it (`JSON.stringify`, zod, the store),
 * and one such entry in a group commit used to fail every other client's request with it.
 */
import { HttpError } from "./http-error.js";
import type { FieldError } from "./validation.js";

/** Levels of nesting a body may have, its envelope (`{"feedback": [{...}]}`) included. */
export const MAX_JSON_DEPTH = 32;
/** Serialized size of one free-form field (`inputs`, `metadata`, …) at most. */
export const MAX_FREE_FORM_BYTES = 512 * 1024;
/** Keys of a body that hold lists of entries rather than an entry's own fields. */
const ENVELOPE_KEYS = new Set(["feedback", "traces"]);

/**
 * The location of a problem: the path down to the entry's own field that holds it, e.g.
 * `["body", "feedback", 3, "inputs"]` (the levels below would only repeat the nesting).
 */
function fieldLocation(path: readonly (string | number)[]): (string | number)[] {
  const field = path.findIndex((p) => typeof p === "string" && !ENVELOPE_KEYS.has(p));
  return ["body", ...(field === -1 ? path : path.slice(0, field + 1))];
}

/**
 * @throws HttpError 422 naming the field and the limit, for a body nested deeper than
 * MAX_JSON_DEPTH or with a free-form field larger than MAX_FREE_FORM_BYTES
 * @example checkJsonLimits({ inputs: deeplyNested }) // throws 422 [{ loc: ["body", "inputs"], … }]
 */
export function checkJsonLimits(body: unknown): void {
  // Iterative on purpose: a recursive walk would overflow on exactly the input it refuses.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  const errors: FieldError[] = [];
  const reported = new Set<string>();
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (path.length >= MAX_JSON_DEPTH) {
      const loc = fieldLocation(path);
      const key = JSON.stringify(loc);
      if (!reported.has(key)) {
        reported.add(key);
        errors.push({
          loc,
          msg: `nests deeper than ${MAX_JSON_DEPTH} levels (the limit for free-form JSON); flatten it`,
          type: "too_deep",
        });
      }
      continue;
    }
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else
      for (const [key, item] of Object.entries(value as Record<string, unknown>))
        stack.push({ value: item, path: [...path, key] });
  }
  if (errors.length > 0) throw new HttpError(422, errors);
  checkFieldSizes(body, []);
}

/** Free-form fields of the body's entries: each at most MAX_FREE_FORM_BYTES once serialized. */
function checkFieldSizes(body: unknown, path: (string | number)[]): void {
  const errors: FieldError[] = [];
  const visitEntry = (entry: unknown, at: (string | number)[]) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) return;
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (ENVELOPE_KEYS.has(key) && Array.isArray(value)) {
        value.forEach((item, i) => visitEntry(item, [...at, key, i]));
        continue;
      }
      if (value === null || typeof value !== "object") continue;
      const bytes = Buffer.byteLength(JSON.stringify(value));
      if (bytes > MAX_FREE_FORM_BYTES)
        errors.push({
          loc: ["body", ...at, key],
          msg: `is ${bytes} bytes of JSON, over the limit of ${MAX_FREE_FORM_BYTES} bytes for one field`,
          type: "too_long",
        });
    }
  };
  if (Array.isArray(body)) body.forEach((item, i) => visitEntry(item, [...path, i]));
  else visitEntry(body, path);
  if (errors.length > 0) throw new HttpError(422, errors);
}
