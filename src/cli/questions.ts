/**
 * Questions on a terminal for `kaizen init`: a bad answer is explained and the question asked
 * again; an empty answer takes the default; the end of input (Ctrl-D) stops cleanly instead of
 * hanging. Outside a terminal, or with --yes, every question takes its default. A value given
 * by flag is checked by the same rule, and its error names the flag the person typed.
 */
import { createInterface, type Interface } from "node:readline";
import { KaizenError } from "../core/errors.js";
import { CliUsageError, type CliIo } from "./command.js";

export type Parsed<T> = { value: T } | { problem: string };

export interface Question<T> {
  /** The flag that answers it in scripts, without "--". */
  flag: string;
  text: string;
  /** The answer taken on Enter (and outside a terminal); null: an answer is needed. */
  fallback: string | null;
  parse(answer: string): Parsed<T> | Promise<Parsed<T>>;
}

export class Asker {
  readonly interactive: boolean;
  #io: CliIo;
  #rl: Interface | null;
  #lines: string[] = [];
  #waiting: ((line: string | null) => void) | null = null;
  #ended = false;

  constructor(io: CliIo, yes: boolean) {
    this.#io = io;
    this.interactive = !yes && io.isTTY && (io.stdin as { isTTY?: boolean }).isTTY === true;
    this.#rl = this.interactive
      ? createInterface({ input: io.stdin, output: io.stdout, terminal: true })
      : null;
    this.#rl?.on("line", (line) => this.#deliver(line));
    this.#rl?.on("close", () => {
      this.#ended = true;
      this.#deliver(null);
    });
    // In terminal mode readline takes Ctrl-C itself; without this it would only pause, and hang.
    this.#rl?.on("SIGINT", () => {
      this.#io.stdout.write("\n");
      this.#rl?.close();
    });
  }

  #deliver(line: string | null): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting) waiting(line);
    else if (line !== null) this.#lines.push(line);
  }

  #readLine(prompt: string): Promise<string | null> {
    const queued = this.#lines.shift();
    if (queued === undefined && this.#ended) return Promise.resolve(null);
    if (this.#ended) this.#io.stdout.write(`${prompt}\n`);
    else {
      this.#rl!.setPrompt(prompt);
      this.#rl!.prompt();
    }
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  /** The answer to `question`: from its flag when given, else asked (or its default). */
  async ask<T>(question: Question<T>, given: string | undefined): Promise<T> {
    if (given !== undefined) {
      const parsed = await question.parse(given);
      if ("problem" in parsed) throw new CliUsageError(`--${question.flag} "${given}": ${parsed.problem}`);
      return parsed.value;
    }
    if (!this.#rl) {
      if (question.fallback === null)
        throw new CliUsageError(`${question.text}: no answer outside a terminal; pass --${question.flag}`);
      const parsed = await question.parse(question.fallback);
      if ("problem" in parsed)
        throw new CliUsageError(`${question.text}: ${parsed.problem}; pass --${question.flag}`);
      return parsed.value;
    }
    for (;;) {
      const line = await this.#readLine(
        `${question.text}${question.fallback ? ` [${question.fallback}]` : ""}: `,
      );
      if (line === null)
        throw new KaizenError(`stopped: no answer to "${question.text}"; nothing was written`);
      const answer = line.trim() || question.fallback;
      if (answer === null) {
        this.#io.stdout.write("  An answer is needed here.\n");
        continue;
      }
      const parsed = await question.parse(answer);
      if ("value" in parsed) return parsed.value;
      this.#io.stdout.write(`  ${parsed.problem}. Try again (Ctrl-C stops).\n`);
    }
  }

  /** Yes or no; `fallbackYes` on Enter, and outside a terminal (--yes: always yes). */
  async confirm(text: string, fallbackYes: boolean, yes = false): Promise<boolean> {
    if (yes) return true;
    if (!this.#rl) return fallbackYes;
    for (;;) {
      const line = await this.#readLine(`${text} [${fallbackYes ? "Y/n" : "y/N"}] `);
      if (line === null) throw new KaizenError(`stopped: no answer to "${text}"; nothing more was written`);
      const answer = line.trim();
      if (answer === "") return fallbackYes;
      if (/^y(es)?$/i.test(answer)) return true;
      if (/^no?$/i.test(answer)) return false;
      this.#io.stdout.write("  Answer y or n.\n");
    }
  }

  close(): void {
    this.#rl?.close();
  }
}
