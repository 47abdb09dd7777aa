/** `text` and `markdown`: the file is the template; markdown keeps a front-matter block untouched. */
import type { PromptFile } from "./format.js";

export const textFile: PromptFile = {
  read: (text) => text,
  write: (_text, template) => template,
  create: (template) => template,
};

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/;

export const markdownFile: PromptFile = {
  read: (text) => text.replace(FRONT_MATTER, ""),
  write: (text, template) => (FRONT_MATTER.exec(text)?.[0] ?? "") + template,
  create: (template) => template,
};
