/** `yaml`: a mapping whose prompt is the string under one of PROMPT_KEYS; comments and other keys survive. */
import { Document, isScalar, parseDocument, Scalar } from "yaml";
import { PromptFormatError, type PromptFile } from "./format.js";
import { PROMPT_KEYS } from "./json.js";

function promptKey(text: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new PromptFormatError(
      `the prompt file is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`,
    );
  const key = PROMPT_KEYS.find((k) => typeof doc.get(k) === "string");
  if (!key) throw new PromptFormatError(`the YAML prompt file has no string field ${PROMPT_KEYS.join(", ")}`);
  return { doc, key };
}

export const yamlFile: PromptFile = {
  read(text) {
    const { doc, key } = promptKey(text);
    return doc.get(key) as string;
  },
  write(text, template) {
    const { doc, key } = promptKey(text);
    if (doc.get(key) === template) return text;
    const node = doc.get(key, true);
    const scalar = isScalar(node) ? node : new Scalar(template);
    scalar.value = template;
    // A multi-line prompt reads best as a literal block.
    if (template.includes("\n")) scalar.type = Scalar.BLOCK_LITERAL;
    doc.set(key, scalar);
    return doc.toString({ lineWidth: 0 });
  },
  create(template) {
    const scalar = new Scalar(template);
    if (template.includes("\n")) scalar.type = Scalar.BLOCK_LITERAL;
    const doc = new Document({});
    doc.set("prompt", scalar);
    return doc.toString({ lineWidth: 0 });
  },
};
