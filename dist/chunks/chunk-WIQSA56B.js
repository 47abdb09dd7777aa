import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);

// src/cli/output.ts
var CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 };
function painter(io) {
  const on = io.isTTY && io.env.NO_COLOR === void 0 && io.env.TERM !== "dumb";
  return (colour, text) => on ? `\x1B[${CODES[colour]}m${text}\x1B[0m` : text;
}
function table(rows) {
  const widths = [];
  for (const row of rows)
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell)));
  return rows.map(
    (row) => row.map(
      (cell, i) => i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleLength(cell))
    ).join("  ")
  ).join("\n");
}
function visibleLength(text) {
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
var Progress = class {
  #out;
  #tty;
  #total;
  #label;
  #lastStage = null;
  #lastLine = "";
  #done = 0;
  #note = "";
  constructor(out, tty, label, total) {
    this.#out = out;
    this.#tty = tty;
    this.#label = label;
    this.#total = Math.max(total, 1);
  }
  /** Moves to `done` units of work, with an optional note of what is happening now. */
  update(done, note = "") {
    this.#done = Math.max(0, Math.min(done, this.#total));
    this.#note = note;
    if (this.#tty) {
      this.#out.write(`\r\x1B[2K${this.#bar()}`);
      return;
    }
    const stage = note.replace(/\d[\d.,]*/g, "#");
    if (stage === this.#lastStage) return;
    this.#lastStage = stage;
    this.#line();
  }
  /** Ends the progress: the bar's final state on its own line, or the last line of the log. */
  finish(note = this.#note) {
    this.#done = this.#total;
    this.#note = note;
    if (this.#tty) this.#out.write(`\r\x1B[2K${this.#bar()}
`);
    else this.#line();
  }
  #percent() {
    return Math.floor(this.#done / this.#total * 100);
  }
  #line() {
    const line = `${this.#label}: ${this.#percent()}% (${this.#done}/${this.#total})${this.#note ? ` ${this.#note}` : ""}`;
    if (line === this.#lastLine) return;
    this.#lastLine = line;
    this.#out.write(`${line}
`);
  }
  /** One line that fits the terminal: the bar shrinks first, then the note is cut with "…". */
  #bar() {
    const columns = Math.max(20, (this.#out.columns ?? 80) - 1);
    const percent = `${String(this.#percent()).padStart(3)}%`;
    const fixed = this.#label.length + percent.length + 5;
    const width = Math.max(5, Math.min(30, columns - fixed - Math.min(this.#note.length, 40)));
    const filled = Math.round(this.#done / this.#total * width);
    const line = `${this.#label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent}${this.#note ? ` ${this.#note}` : ""}`;
    return fitTo(line, columns);
  }
};
function fitTo(line, columns) {
  return line.length <= columns ? line : `${line.slice(0, Math.max(0, columns - 1))}\u2026`;
}

export {
  painter,
  table,
  Progress
};
