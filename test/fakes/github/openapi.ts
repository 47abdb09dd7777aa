/**
 * GitHub's own OpenAPI description, the fake's contract: every route the fake serves must be a
 * route GitHub has, and every JSON body it sends must carry the fields GitHub's schema marks
 * required for that route and status.
 */
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";

type Schema = {
  $ref?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  type?: string | string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Operation = {
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
};
type Spec = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  };
};

let spec: Spec | null = null;

function load(): Spec {
  spec ??= createRequire(import.meta.url)("@octokit/openapi/generated/api.github.com.json") as Spec;
  return spec;
}

/** Whether GitHub has `METHOD template`, e.g. `PATCH /repos/{owner}/{repo}/git/refs/{ref}`. */
export function routeExists(method: string, template: string): boolean {
  return load().paths[template]?.[method.toLowerCase()] !== undefined;
}

function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  return resolve(load().components.schemas[name]);
}

/**
 * The top-level fields GitHub's schema requires in a response body, or null when the spec has
 * no JSON schema for that status (e.g. 204, 304).
 */
export function requiredResponseFields(
  method: string,
  template: string,
  status: number,
): { required: string[]; array: boolean } | null {
  const operation = load().paths[template]?.[method.toLowerCase()];
  let response = operation?.responses?.[String(status)];
  if (response?.$ref)
    response = load().components.responses[response.$ref.replace("#/components/responses/", "")];
  let schema = resolve(response?.content?.["application/json"]?.schema);
  if (!schema) return null;
  let array = false;
  if (schema.type === "array") {
    array = true;
    schema = resolve(schema.items);
  }
  const required = new Set<string>(schema?.required ?? []);
  for (const part of schema?.allOf ?? []) for (const key of resolve(part)?.required ?? []) required.add(key);
  return { required: [...required], array };
}

type Example = { value?: unknown; $ref?: string };

/**
 * A deep copy of GitHub's own example response for a route and status, for the fake to
 * override with its state: every field a real response has is there, with a realistic value.
 */
export function exampleResponse(method: string, template: string, status: number): Record<string, unknown> {
  const s = load() as Spec & { components: { examples: Record<string, Example> } };
  let response = s.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)] as
    { $ref?: string; content?: Record<string, { examples?: Record<string, Example> }> } | undefined;
  if (response?.$ref)
    response = s.components.responses[
      response.$ref.replace("#/components/responses/", "")
    ] as typeof response;
  const examples = response?.content?.["application/json"]?.examples ?? {};
  let example = Object.values(examples)[0];
  if (example?.$ref) example = s.components.examples[example.$ref.replace("#/components/examples/", "")];
  const value = Array.isArray(example?.value) ? example.value[0] : example?.value;
  if (value === undefined)
    throw new Error(`GitHub's description has no example for ${method} ${template} ${status}`);
  const copy = structuredClone(value) as Record<string, unknown>;
  // A few of GitHub's examples omit a required field that may be null (e.g. a repository's
  // `language`); the fake sends it, as the schema says GitHub does.
  for (const field of requiredResponseFields(method, template, status)?.required ?? [])
    if (!(field in copy)) copy[field] = null;
  return copy;
}

let ajv: Ajv | null = null;
const requestValidators = new Map<string, ValidateFunction | null>();

/**
 * Checks a request body against the request schema GitHub publishes for the route: the fake
 * refuses what GitHub would refuse (a missing required field, a wrong type, a value outside an
 * enum), so a client that sends a malformed body fails its test. Returns the problems, or [].
 */
export function requestBodyProblems(method: string, template: string, body: unknown): string[] {
  const key = `${method} ${template}`;
  if (!requestValidators.has(key)) {
    const requestBody = load().paths[template]?.[method.toLowerCase()] as
      { requestBody?: { content?: Record<string, { schema?: unknown }> } } | undefined;
    const schema = requestBody?.requestBody?.content?.["application/json"]?.schema;
    if (!schema) requestValidators.set(key, null);
    else {
      ajv ??= newAjv();
      components ??= withoutTypelessNullable(structuredClone(load().components)) as Spec["components"];
      requestValidators.set(
        key,
        ajv.compile({ ...(withoutTypelessNullable(structuredClone(schema)) as object), components }),
      );
    }
  }
  const validate = requestValidators.get(key);
  if (!validate || body === undefined) return [];
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
  );
}

let components: Spec["components"] | null = null;

/**
 * OpenAPI 3.0 lets `nullable` stand next to `anyOf` without a `type`; Ajv refuses that. The
 * `anyOf` alone says what is allowed, so the keyword goes.
 */
function withoutTypelessNullable(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(withoutTypelessNullable);
  else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if ("nullable" in record && !("type" in record)) delete record.nullable;
    for (const value of Object.values(record)) withoutTypelessNullable(value);
  }
  return node;
}

function newAjv(): Ajv {
  // GitHub's description is OpenAPI 3.0: `nullable`, `example`, `x-*` keywords, formats that
  // only document (GitHub itself does not check `uri` formats of request fields strictly).
  return new Ajv({ strict: false, validateFormats: false, allErrors: true, discriminator: false });
}
