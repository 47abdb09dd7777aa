/**
 * Kaizen's errors: one root, a subclass per kind of failure, each carrying the data a catch
 * site needs and a message that says what went wrong and what to do.
 */

export class KaizenError extends Error {
  override name = "KaizenError";
}

/** Where a problem is in a file people edit, and what it is. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `evaluator_config.evaluators.0.pattern`; `(file)` for the whole file. */
  field: string;
  message: string;
  severity: "error" | "warning";
}

/** `file:line:column: severity: field: message`, the form editors and CI logs link to. */
export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.severity}: ${issue.field}: ${issue.message}`;
}

/** A configuration file with mistakes; `issues` holds every one of them, not only the first. */
export class ConfigError extends KaizenError {
  override name = "ConfigError";
  constructor(readonly issues: readonly ConfigIssue[]) {
    const errors = issues.filter((i) => i.severity === "error");
    super(`${errors.length} error(s) in task configuration:\n${errors.map(formatConfigIssue).join("\n")}`);
  }
}

/** A job asked to move between two states that the state machine does not connect. */
export class IllegalTransitionError extends KaizenError {
  override name = "IllegalTransitionError";
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`a job cannot move from ${from} to ${to}`);
  }
}

/** A record that should exist does not. */
export class NotFoundError extends KaizenError {
  override name = "NotFoundError";
}

/** Input that breaks the record schemas, outside a config file (API bodies, imports). */
export class ValidationError extends KaizenError {
  override name = "ValidationError";
  constructor(
    message: string,
    readonly fields: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

/**
 * A write that may only add files found one there already (or a file where its path needs a
 * directory): a client of the API never overwrites what people wrote.
 */
export class PathTakenError extends KaizenError {
  override name = "PathTakenError";
  constructor(
    readonly path: string,
    readonly wanted: string,
  ) {
    super(
      path === wanted
        ? `${path} already exists; Kaizen writes only new files for a client, never over one`
        : `${path} already exists as a file, so ${wanted} cannot be created below it`,
    );
  }
}
