/**
 * A value as people read it in a log line, an Action output or an error message: strings as they
 * are, numbers and booleans as written, everything else as JSON (never "[object Object]").
 */
export function plainText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${value}`;
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return typeof value;
  return JSON.stringify(value);
}
