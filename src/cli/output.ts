/**
 * Terminal output shared by the commands: colour only on a terminal (and never with NO_COLOR),
 * aligned tables, and a progress line for long work.
 */
import path from "node:path";
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
 * Progress of long work (optimize, import). On a terminal it redraws one line in place, never
 * wider than the terminal (so it cannot wrap and leave fragments behind when redrawn), clearing
 * the whole line first. In a log (CI, a pipe) it prints one line per stage: a new line only when
 * the note changes other than in its numbers ("iteration 2 of 12" and "iteration 3 of 12" are one
 * stage), and the last line at the end.
 */
export class Progress {
  #out: Writable & { columns?: number };
  #tty: boolean;
  #total: number;
  #label: string;
  #lastStage: string | null = null;
  #lastLine = "";
  #done = 0;
  #note = "";

  constructor(out: Writable, tty: boolean, label: string, total: number) {
    this.#out = out;
    this.#tty = tty;
    this.#label = label;
    this.#total = Math.max(total, 1);
  }

  /** Moves to `done` units of work, with an optional note of what is happening now. */
  update(done: number, note = ""): void {
    this.#done = Math.max(0, Math.min(done, this.#total));
    this.#note = note;
    if (this.#tty) {
      this.#out.write(`\r\u001b[2K${this.#bar()}`);
      return;
    }
    const stage = note.replace(/\d[\d.,]*/g, "#");
    if (stage === this.#lastStage) return;
    this.#lastStage = stage;
    this.#line();
  }

  /** Ends the progress: the bar's final state on its own line, or the last line of the log. */
  finish(note = this.#note): void {
    this.#done = this.#total;
    this.#note = note;
    if (this.#tty) this.#out.write(`\r\u001b[2K${this.#bar()}\n`);
    else this.#line();
  }

  #percent(): number {
    return Math.floor((this.#done / this.#total) * 100);
  }

  #line(): void {
    const line = `${this.#label}: ${this.#percent()}% (${this.#done}/${this.#total})${this.#note ? ` ${this.#note}` : ""}`;
    if (line === this.#lastLine) return;
    this.#lastLine = line;
    this.#out.write(`${line}\n`);
  }

  /** One line that fits the terminal: the bar shrinks first, then the note is cut with "…". */
  #bar(): string {
    const columns = Math.max(20, (this.#out.columns ?? 80) - 1);
    const percent = `${String(this.#percent()).padStart(3)}%`;
    const fixed = this.#label.length + percent.length + 5; // "label [" + "] " + " "
    const width = Math.max(5, Math.min(30, columns - fixed - Math.min(this.#note.length, 40)));
    const filled = Math.round((this.#done / this.#total) * width);
    const line = `${this.#label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}${this.#note ? ` ${this.#note}` : ""}`;
    return fitTo(line, columns);
  }
}

/** Cuts a line to `columns` characters, marking the cut with "…". */
export function fitTo(line: string, columns: number): string {
  return line.length <= columns ? line : `${line.slice(0, Math.max(0, columns - 1))}…`;
}

/**
 * How a printed command reaches a repository that is not the current directory: `git -C DIR`
 * and `kaizen … --repo DIR`, so a hint pasted as printed works from where it was printed.
 *
 * @example elsewhere("/home/me", "/tmp/demo").git // "git -C /tmp/demo"
 */
export function elsewhere(cwd: string, repoDir: string): { git: string; repo: string } {
  if (path.resolve(cwd) === path.resolve(repoDir)) return { git: "git", repo: "" };
  const dir = /^[\w./@:+-]+$/.test(repoDir) ? repoDir : `'${repoDir.replace(/'/g, "'\\''")}'`;
  return { git: `git -C ${dir}`, repo: ` --repo ${dir}` };
}
