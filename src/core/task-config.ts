/**
 * Reads a task's YAML file and reports every mistake at once, each with the file, the line
 * and column, the field and what was expected. Unknown keys are warnings that suggest the
 * closest known key, so a typo like `feedback_treshold` never passes silently.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError, type ConfigIssue } from "./errors.js";
import { expandEvaluatorShorthand, TASK_CONFIG_ALIASES, TaskConfig } from "./task-config-schema.js";
import { describeIssue, dottedPath } from "./zod-issues.js";
import { closestName } from "./suggest.js";
import { MIN_USABLE } from "./min-usable.js";

export interface ParsedTaskConfig {
  /** The configuration, or null when the file has errors. */
  config: TaskConfig | null;
  /** Every error and warning, in the order they appear in the file. */
  issues: ConfigIssue[];
}

/**
 * Parses `.kaizen/tasks/<name>.yml`.
 *
 * @example
 * const { config, issues } = parseTaskConfig(text, ".kaizen/tasks/summarize.yml");
 * for (const issue of issues) console.error(formatConfigIssue(issue));
 */
export function parseTaskConfig(text: string, file: string): ParsedTaskConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    const pos = lines.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const issues: ConfigIssue[] = [];

  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
      const message = (error.message.split("\n")[0] ?? error.message).replace(
        / at line \d+, column \d+:?$/,
        "",
      );
      issues.push({
        file,
        line: pos.line,
        column: pos.col,
        field: "(file)",
        message: `YAML syntax: ${message}`,
        severity: "error",
      });
    }
    return { config: null, issues };
  }

  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    issues.push({
      file,
      line: 1,
      column: 1,
      field: "(file)",
      message: "must be a mapping of task fields (name: ..., feedback_threshold: ...)",
      severity: "error",
    });
    return { config: null, issues };
  }

  const input = applyAliases(raw as Record<string, unknown>);
  const { inFile, expanded } = asWritten(input);
  const locate = (path: readonly PropertyKey[]) => at(nodeFor(doc, inFile(path))?.range?.[0]);

  for (const unknown of unknownTaskKeys(input)) {
    const keyNode = keyNodeFor(doc, unknown.path);
    issues.push({
      file,
      ...at(keyNode?.range?.[0]),
      field: dottedPath(unknown.path),
      message: unknown.message,
      severity: unknown.measured ? "error" : "warning",
    });
  }

  const result = TaskConfig.safeParse(input);
  if (!result.success) {
    for (const zodIssue of result.error.issues) {
      const problem = describeIssue(zodIssue, expanded);
      issues.push({
        file,
        ...locate(zodIssue.path),
        field: problem.path ? dottedPath(inFile(zodIssue.path)) || problem.path : "(file)",
        message: problem.message,
        severity: "error",
      });
    }
  }

  const expectedName = taskNameFromPath(file);
  if (result.success && expectedName !== null && result.data.name !== expectedName) {
    issues.push({
      file,
      ...locate(["name"]),
      field: "name",
      message: `is "${result.data.name}" but the file is named ${expectedName}.yml; rename one so they match`,
      severity: "error",
    });
  }

  if (result.success && result.data.feedback_retention_limit < MIN_USABLE)
    issues.push({
      file,
      ...locate(["feedback_retention_limit"]),
      field: "feedback_retention_limit",
      message: `keeps at most ${result.data.feedback_retention_limit} entries, fewer than the ${MIN_USABLE} usable ones an optimization needs, so this task can never be optimized; set it to ${MIN_USABLE} or more`,
      severity: "warning",
    });

  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  const hasErrors = issues.some((i) => i.severity === "error");
  return { config: hasErrors || !result.success ? null : result.data, issues };
}

/**
 * `evaluator_config: {type: exact_match}` is checked as the list of one it stands for, and its
 * mistakes are reported where they are written: paths of the expanded form mapped back.
 */
function asWritten(input: Record<string, unknown>) {
  const shorthand = input.evaluator_config !== expandEvaluatorShorthand(input.evaluator_config);
  const inFile = (path: readonly PropertyKey[]): PropertyKey[] =>
    shorthand && path[0] === "evaluator_config" && path[1] === "evaluators" && path[2] === 0
      ? ["evaluator_config", ...path.slice(3)]
      : [...path];
  const expanded = { ...input, evaluator_config: expandEvaluatorShorthand(input.evaluator_config) };
  return { inFile, expanded };
}

export interface UnknownTaskKey {
  /** Where the key is written (in the shorthand's own place when shorthand is used). */
  path: PropertyKey[];
  /** Inside evaluator_config: it changes what is measured, so it is an error, never just a warning. */
  measured: boolean;
  /** The closest known key, when one is close. */
  suggestion: string | null;
  /** What is wrong, with the closest known key: `unknown key in evaluator_config (did you mean "trim"?); known here: …`. */
  message: string;
}

/**
 * Keys of a task's fields (aliases applied) that Kaizen does not know, at every depth: the YAML
 * parser and the API's task creation report the same ones with the same words.
 */
export function unknownTaskKeys(input: Record<string, unknown>): UnknownTaskKey[] {
  const { inFile, expanded } = asWritten(input);
  return unknownKeys(expanded, TaskConfig, []).map((unknown) => {
    const path = inFile(unknown.path);
    const suggestion = closestName(path[path.length - 1] as string, unknown.known);
    const did = suggestion ? ` (did you mean "${suggestion}"?)` : "";
    // A key mistyped inside these changes what is measured or decided: an error, not a warning.
    const measured = path[0] === "evaluator_config" || path[0] === "canary";
    return {
      path,
      measured,
      suggestion: suggestion ?? null,
      message: measured
        ? `unknown key in ${String(path[0])}${did}; known here: ${unknown.known.join(", ")}`
        : `unknown field, ignored${did}`,
    };
  });
}

/** Like parseTaskConfig, but throws a ConfigError listing every error. */
export function loadTaskConfig(text: string, file: string): TaskConfig {
  const { config, issues } = parseTaskConfig(text, file);
  if (!config) throw new ConfigError(issues);
  return config;
}

/** The task name a file under `.kaizen/tasks/` must carry, or null for a file elsewhere. */
export function taskNameFromPath(file: string): string | null {
  const match = /(?:^|\/)\.kaizen\/tasks\/([^/]+)\.ya?ml$/.exec(file);
  return match?.[1] ?? null;
}

function applyAliases(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  for (const [alias, field] of Object.entries(TASK_CONFIG_ALIASES)) {
    if (Object.hasOwn(out, alias) && !Object.hasOwn(out, field)) {
      out[field] = out[alias];
      delete out[alias];
    }
  }
  return out;
}

/** The YAML node at a path of keys and indexes (keys may be aliases in the file). */
function nodeFor(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  // Walk back to the deepest node that exists: a missing field points at its parent mapping.
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = withFileKeys(doc, path.slice(0, depth));
    const node = doc.getIn(prefix, true) as Node | undefined;
    if (node && typeof node === "object" && "range" in node) return node;
  }
  return doc.contents ?? undefined;
}

/** The node of the key itself (for warnings about the key, not its value). */
function keyNodeFor(doc: Document, path: readonly PropertyKey[]): Node | undefined {
  const parent = path.length > 1 ? doc.getIn(withFileKeys(doc, path.slice(0, -1)), true) : doc.contents;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    for (const item of parent.items) {
      if (isPair(item) && isScalar(item.key) && item.key.value === last) return item.key;
    }
  }
  return nodeFor(doc, path);
}

/** Maps canonical field names back to the spelling used in the file (aliases). */
function withFileKeys(doc: Document, path: readonly PropertyKey[]): PropertyKey[] {
  if (path.length === 0) return [];
  const [first, ...rest] = path;
  if (typeof first === "string" && !doc.hasIn([first])) {
    const alias = Object.entries(TASK_CONFIG_ALIASES).find(([, field]) => field === first)?.[0];
    if (alias && doc.hasIn([alias])) return [alias, ...rest];
  }
  return [first as PropertyKey, ...rest];
}

interface UnknownKey {
  path: PropertyKey[];
  known: string[];
}

/**
 * Keys of `value` that `schema` does not define, at every depth the schema describes
 * (objects, lists, discriminated unions). zod strips such keys silently; people need to hear.
 */
function unknownKeys(value: unknown, schema: z.ZodType, path: PropertyKey[]): UnknownKey[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return unknownKeys(value, def.innerType as z.ZodType, path);
    case "pipe": {
      // A preprocess step (a transform) says nothing of keys: the schema after it does.
      const input = def.in as { _zod: { def: { type: string } } };
      return unknownKeys(value, (input._zod.def.type === "transform" ? def.out : def.in) as z.ZodType, path);
    }
    case "array":
      if (!Array.isArray(value)) return [];
      return value.flatMap((item, i) => unknownKeys(item, def.element as z.ZodType, [...path, i]));
    case "union": {
      if (value === null || typeof value !== "object") return [];
      const options = def.options as z.ZodType[];
      const discriminator = def.discriminator as string | undefined;
      const chosen = options.find((option) => {
        const shape = (option as unknown as { shape?: Record<string, z.ZodType> }).shape;
        if (!shape || !discriminator) return false;
        const literal = shape[discriminator] as unknown as
          { _zod: { def: { values?: unknown[] } } } | undefined;
        return literal?._zod.def.values?.includes((value as Record<string, unknown>)[discriminator]) ?? false;
      });
      return chosen ? unknownKeys(value, chosen, path) : [];
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
      const shape = def.shape as Record<string, z.ZodType>;
      const known = Object.keys(shape);
      const found: UnknownKey[] = [];
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        // Own keys only: `constructor` or `toString` in a file is an unknown key, not Object's.
        const childSchema = Object.hasOwn(shape, key) ? shape[key] : undefined;
        if (childSchema) found.push(...unknownKeys(child, childSchema, [...path, key]));
        else found.push({ path: [...path, key], known });
      }
      return found;
    }
    default:
      return [];
  }
}
