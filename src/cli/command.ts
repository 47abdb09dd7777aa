/**
 * What every `kaizen` subcommand is: a name and a one-line summary (in the registry), a usage
 * text with an example, and a `run` that gets its arguments and the process's I/O passed in (so
 * tests run commands in-process with their own streams, and nothing reads `process` directly).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Readable, Writable } from "node:stream";
import { KaizenError } from "../core/errors.js";

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout is a terminal: colour and progress bars only then. */
  isTTY: boolean;
}

/** A command as the registry lists it (commands/index.ts): its module loads only when it runs. */
export interface CommandEntry {
  name: string;
  /** One line in `kaizen --help`. */
  summary: string;
  load(): Promise<Command>;
}

/** What a command's module exports. */
export interface Command {
  /** Shown by `kaizen <name> --help`: the synopsis, the options and at least one example. */
  usage: string;
  /** Resolves to the process's exit code. Throw `CliUsageError` for bad arguments. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: the CLI prints the message and the command's usage, and exits 2. */
export class CliUsageError extends KaizenError {
  override name = "CliUsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `node:util` parseArgs with Kaizen's error messages: an unknown option or a missing value
 * becomes a `CliUsageError` that names the option.
 *
 * @example
 * const { values } = parseCommandArgs(args, { repo: { type: "string" }, json: { type: "boolean" } });
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** Reads a numeric option, refusing anything that is not a finite number in range. */
export function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  min = -Infinity,
  max = Infinity,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new CliUsageError(`--${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}
