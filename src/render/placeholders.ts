/**
 * `{{variable}}` placeholders: the slots of a prompt template that a feedback entry's `inputs`
 * fill. Spaces inside the braces are allowed (`{{ ticket }}`), as are dotted names
 * (`{{customer.name}}`) that reach into nested inputs.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;

/** The distinct placeholder names of a template, in order of first appearance. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

function lookup(inputs: Record<string, unknown>, name: string): unknown {
  let value: unknown = inputs;
  for (const part of name.split(".")) {
    // Own keys only: `{{constructor}}` is a missing input, not Object's constructor.
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Fills every placeholder from `inputs`. A placeholder with no input is left as it is, visible,
 * so that a missing variable shows in the output instead of silently vanishing.
 *
 * @example fillPlaceholders("Summarize: {{ ticket }}", { ticket: "Login broken" }) // "Summarize: Login broken"
 */
export function fillPlaceholders(template: string, inputs: Record<string, unknown> | null): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = inputs ? lookup(inputs, name) : undefined;
    if (value === undefined || value === null) return whole;
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}
