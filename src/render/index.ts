/**
 * Prompt files in every `prompt_format`: read the template out of a file, write a new template
 * back keeping everything else, and detect a file's format. Reading and then writing an
 * unchanged template gives back the same bytes.
 */
import type { PromptFormat } from "../core/task-config-schema.js";
import { pythonFile, typescriptFile } from "./constants.js";
import type { PromptFile } from "./format.js";
import { jsonFile } from "./json.js";
import { markdownFile, textFile } from "./text.js";
import { yamlFile } from "./yaml.js";

export { PromptFormatError } from "./format.js";
export { fillPlaceholders, placeholders } from "./placeholders.js";

const FILES: Record<PromptFormat, PromptFile> = {
  text: textFile,
  markdown: markdownFile,
  json: jsonFile,
  yaml: yamlFile,
  python: pythonFile,
  typescript: typescriptFile,
};

/** @example readPrompt('PROMPT = """Summarize {{ticket}}"""\n', "python") // "Summarize {{ticket}}" */
export function readPrompt(text: string, format: PromptFormat): string {
  return FILES[format].read(text);
}

/** The file with its template replaced; unchanged bytes when the template is unchanged. */
export function writePrompt(text: string, format: PromptFormat, template: string): string {
  if (FILES[format].read(text) === template) return text;
  return FILES[format].write(text, template);
}

export function createPromptFile(format: PromptFormat, template: string): string {
  return FILES[format].create(template);
}

/** The likely format of a prompt file, from its extension (and, for text, its content). */
export function detectPromptFormat(path: string, text = ""): PromptFormat {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  if (["md", "markdown", "mdx"].includes(extension)) return "markdown";
  if (extension === "json") return "json";
  if (["yml", "yaml"].includes(extension)) return "yaml";
  if (extension === "py") return "python";
  if (["ts", "mts", "cts", "js", "mjs"].includes(extension)) return "typescript";
  if (/^#{1,6} |\n#{1,6} /.test(text)) return "markdown";
  return "text";
}
