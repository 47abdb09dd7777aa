/**
 * Turns zod's issues into sentences a person acts on ("must be greater than 0, got -5"),
 * shared by the config file validator and the API's 422 responses.
 */
import type { z } from "zod";
import { plainText } from "./plain-text.js";

export interface FieldProblem {
  /** Dotted path of the field; empty for the value as a whole. */
  path: string;
  message: string;
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The value at `path` inside `input`, or undefined when the path does not exist. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    // Own keys only: a user's `constructor` must not reach Object.prototype's.
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${plainText(value)}`;
}

const EXPECTED_NAMES: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
};

export function describeIssue(issue: z.core.$ZodIssue, input: unknown): FieldProblem {
  const path = dottedPath(issue.path);
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (got === undefined) return { path, message: `is required (expected ${expected})` };
      return { path, message: `expected ${expected}, got ${describeValue(got)}` };
    }
    case "too_small": {
      const min = String(issue.minimum);
      if (issue.origin === "array") return { path, message: `must have at least ${min} item(s)` };
      if (issue.origin === "string")
        return {
          path,
          message: min === "1" ? "must not be empty" : `must be at least ${min} characters long`,
        };
      const bound = issue.inclusive ? `at least ${min}` : `greater than ${min}`;
      return { path, message: `must be ${bound}, got ${describeValue(got)}` };
    }
    case "too_big": {
      const max = String(issue.maximum);
      if (issue.origin === "array") return { path, message: `must have at most ${max} item(s)` };
      if (issue.origin === "string") return { path, message: `must be at most ${max} characters long` };
      const bound = issue.inclusive ? `at most ${max}` : `less than ${max}`;
      return { path, message: `must be ${bound}, got ${describeValue(got)}` };
    }
    case "invalid_value":
      return {
        path,
        message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(got)}`,
      };
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) {
        return {
          path,
          message: `must be one of ${options.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(got)}`,
        };
      }
      return { path, message: `does not match any accepted form (got ${describeValue(got)})` };
    }
    case "invalid_format":
      // A pattern is not a format to be "valid" in: say what it must match, in the schema's own words.
      if (issue.format === "regex")
        return {
          path,
          message: `must match ${patternOf(issue)}${issue.message && !issue.message.startsWith("Invalid") ? ` (${issue.message})` : ""}, got ${describeValue(got)}`,
        };
      return { path, message: `must be a valid ${issue.format}, got ${describeValue(got)}` };
    case "unrecognized_keys":
      return { path, message: `unknown field(s): ${issue.keys.join(", ")}` };
    default:
      return { path, message: issue.message };
  }
}

function patternOf(issue: unknown): string {
  const { pattern } = issue as { pattern?: unknown };
  // zod 4 gives the pattern as its source text in slashes; a RegExp prints the same way.
  if (typeof pattern === "string") return pattern;
  return pattern instanceof RegExp ? String(pattern) : "its pattern";
}
