/** What every prompt-file format module provides. */
import { KaizenError } from "../core/errors.js";

export interface PromptFile {
  /** Reads the template out of the file's text. */
  read(text: string): string;
  /** The file's text with the template replaced, everything else kept as it was. */
  write(text: string, template: string): string;
  /** A new file that holds only the template. */
  create(template: string): string;
}

/** The file does not hold a prompt where the format says it should. */
export class PromptFormatError extends KaizenError {
  override name = "PromptFormatError";
}

/** The file's line ending, so that rewritten text keeps it. */
export function lineEnding(text: string): "\r\n" | "\n" {
  return text.includes("\r\n") ? "\r\n" : "\n";
}
