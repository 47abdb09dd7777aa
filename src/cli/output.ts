/**
 * Terminal output shared by the commands: colour only on a terminal (and never with NO_COLOR),
 * aligned tables, and a progress line for long work.
 */
import type { Writable } from "node:stream";
import type { CliIo } from "./command.js";

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

/** A colouring function for this output: the identity when colour is off. */
export function painter(io: Pick<CliIo, "isTTY" | "env">): (colour: Colour, text: string) => string {
  const on = io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
  return (colour, text) => (on ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text);
}

/**
 * Renders rows as a plain-text table whose columns line up.
 *
 * @example
 * table([["task", "feedback"], ["summarize", "12/50"]]) // "task       feedback\nsummarize  12/50"
 */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleLength(cell)),
        )
        .join("  "),
    )
    .join("\n");
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/**
 * Progress of long work (optimize, import). On a terminal it redraws one bar in place; in a log
 * (CI, a pipe) it prints a line at most every tenth of the way, so logs stay readable.
 */
export class Progress {
  #out: Writable;
  #tty: boolean;
  #total: number;
  #label: string;
  #lastDecile = -1;
  #done = 0;

  constructor(out: Writable, tty: boolean, label: string, total: number) {
    this.#out = out;
    this.#tty = tty;
    this.#label = label;
    this.#total = Math.max(total, 1);
  }

  /** Moves to `done` units of work, with an optional note of what is happening now. */
  update(done: number, note = ""): void {
    this.#done = Math.min(done, this.#total);
    const fraction = this.#done / this.#total;
    const percent = Math.floor(fraction * 100);
    if (this.#tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.#out.write(
        `\r${this.#label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}% ${note}`.padEnd(
          100,
        ),
      );
      return;
    }
    const decile = Math.floor(percent / 10);
    if (decile === this.#lastDecile) return;
    this.#lastDecile = decile;
    this.#out.write(`${this.#label}: ${percent}% (${this.#done}/${this.#total})${note ? ` ${note}` : ""}\n`);
  }

  /** Ends the bar; on a terminal it moves to a fresh line. */
  finish(note = ""): void {
    this.update(this.#total, note);
    if (this.#tty) this.#out.write("\n");
  }
}
