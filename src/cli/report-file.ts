/**
 * `--report FILE` of `kaizen optimize` and `kaizen eval`: the whole Markdown report, as a pull
 * request or a check run carries it, written to a file, while the terminal gets text.
 */
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { KaizenError } from "../core/errors.js";
import { CliUsageError, type CliIo } from "./command.js";

/**
 * The report's path, or null without the option. Checked before any model is paid for: a report
 * the run cannot write would be lost at its end.
 */
export async function reportFileOption(
  io: Pick<CliIo, "cwd">,
  value: string | undefined,
): Promise<string | null> {
  if (value === undefined) return null;
  if (value.trim() === "")
    throw new CliUsageError("--report needs a file name: where to write the Markdown report");
  const file = path.resolve(io.cwd, value);
  if (!(await stat(path.dirname(file)).catch(() => null))?.isDirectory())
    throw new KaizenError(
      `--report ${value}: the directory ${path.dirname(file)} does not exist; create it or name another file`,
    );
  return file;
}

/** Writes the report and says where, as typed from the current directory when it lies below it. */
export async function writeReportFile(io: Pick<CliIo, "cwd" | "stdout">, file: string, markdown: string) {
  await writeFile(file, markdown);
  const relative = path.relative(io.cwd, file);
  const shown = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
  io.stdout.write(`The whole report (Markdown): ${shown}\n`);
}
