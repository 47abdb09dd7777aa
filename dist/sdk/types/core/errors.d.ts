/**
 * Kaizen's errors: one root, a subclass per kind of failure, each carrying the data a catch
 * site needs and a message that says what went wrong and what to do.
 */
export declare class KaizenError extends Error {
    name: string;
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
export declare function formatConfigIssue(issue: ConfigIssue): string;
/** A configuration file with mistakes; `issues` holds every one of them, not only the first. */
export declare class ConfigError extends KaizenError {
    readonly issues: readonly ConfigIssue[];
    name: string;
    constructor(issues: readonly ConfigIssue[]);
}
/** A job asked to move between two states that the state machine does not connect. */
export declare class IllegalTransitionError extends KaizenError {
    readonly from: string;
    readonly to: string;
    name: string;
    constructor(from: string, to: string);
}
/** A record that should exist does not. */
export declare class NotFoundError extends KaizenError {
    name: string;
}
/** Input that breaks the record schemas, outside a config file (API bodies, imports). */
export declare class ValidationError extends KaizenError {
    readonly fields: readonly {
        path: string;
        message: string;
    }[];
    name: string;
    constructor(message: string, fields: readonly {
        path: string;
        message: string;
    }[]);
}
/**
 * A write that may only add files found one there already (or a file where its path needs a
 * directory): a client of the API never overwrites what people wrote.
 */
export declare class PathTakenError extends KaizenError {
    readonly path: string;
    readonly wanted: string;
    name: string;
    constructor(path: string, wanted: string);
}
