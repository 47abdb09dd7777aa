/**
 * `python` and `typescript`: the prompt is a module-level string constant. Which one: `PROMPT`,
 * else `SYSTEM_PROMPT`, else the only constant whose name contains `PROMPT`, else the only string
 * constant of the file. Rewriting replaces that literal alone and keeps the rest byte for byte.
 */
import { PromptFormatError, type PromptFile } from "./format.js";

interface Constant {
  name: string;
  start: number;
  end: number;
  value: string;
}

interface Language {
  label: string;
  /** Assignments at the start of a line, up to the literal's opening quote. */
  assignment: RegExp;
  /** Parses the literal that starts at `offset`; null when it is not a plain string literal. */
  literal(text: string, offset: number): { end: number; value: string } | null;
  quote(template: string): string;
}

function choose(constants: Constant[], label: string): Constant {
  const byName = (name: string) => constants.find((c) => c.name === name);
  const prompts = constants.filter((c) => /PROMPT/i.test(c.name));
  const chosen =
    byName("PROMPT") ??
    byName("SYSTEM_PROMPT") ??
    (prompts.length === 1 ? prompts[0] : undefined) ??
    (constants.length === 1 ? constants[0] : undefined);
  if (chosen) return chosen;
  if (constants.length === 0)
    throw new PromptFormatError(
      `the ${label} file has no module-level string constant holding the prompt (e.g. PROMPT = "...")`,
    );
  throw new PromptFormatError(
    `the ${label} file has several string constants (${constants.map((c) => c.name).join(", ")}); name the prompt PROMPT`,
  );
}

function constantFile(language: Language): PromptFile {
  const find = (text: string): Constant => {
    const constants: Constant[] = [];
    const pattern = new RegExp(language.assignment.source, "gm");
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const parsed = language.literal(text, match.index + match[0].length);
      if (parsed)
        constants.push({
          name: match[1]!,
          start: match.index + match[0].length,
          end: parsed.end,
          value: parsed.value,
        });
    }
    return choose(constants, language.label);
  };
  return {
    read: (text) => find(text).value,
    write(text, template) {
      const constant = find(text);
      if (constant.value === template) return text;
      return text.slice(0, constant.start) + language.quote(template) + text.slice(constant.end);
    },
    create: (template) =>
      language.label === "python"
        ? `PROMPT = ${language.quote(template)}\n`
        : `export const PROMPT = ${language.quote(template)};\n`,
  };
}

const PY_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "\n": "",
  "0": "\0",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};
const JS_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "`": "`",
  $: "$",
  "\n": "",
  "0": "\0",
  b: "\b",
  f: "\f",
  v: "\v",
};

function unescape(body: string, table: Record<string, string>): string {
  return body.replace(
    /\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g,
    (whole, code: string) => {
      if (code.startsWith("u{")) return String.fromCodePoint(parseInt(code.slice(2, -1), 16));
      if (code.length > 1) return String.fromCharCode(parseInt(code.slice(1), 16));
      return table[code] ?? whole;
    },
  );
}

/** A string literal of `quote` starting at `offset` (after an optional prefix), with its end. */
function scanLiteral(
  text: string,
  offset: number,
  quotes: readonly string[],
  raw: boolean,
  table: Record<string, string>,
  multilineSingle = false,
) {
  const quote = quotes.find((q) => text.startsWith(q, offset));
  if (!quote) return null;
  let i = offset + quote.length;
  while (i < text.length) {
    if (text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text.startsWith(quote, i)) {
      const body = text.slice(offset + quote.length, i);
      return { end: i + quote.length, value: raw ? body : unescape(body, table) };
    }
    if (quote.length === 1 && text[i] === "\n" && !multilineSingle) return null;
    i++;
  }
  return null;
}

export const pythonFile = constantFile({
  label: "python",
  assignment: /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*/,
  literal(text, offset) {
    const prefix = /^[rRuU]?/.exec(text.slice(offset, offset + 1))![0];
    const scanned = scanLiteral(
      text,
      offset + prefix.length,
      ['"""', "'''", '"', "'"],
      prefix.toLowerCase() === "r",
      PY_ESCAPES,
    );
    return scanned;
  },
  quote(template) {
    let body = template.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"');
    if (body.endsWith('"')) body = `${body.slice(0, -1)}\\"`;
    return `"""${body}"""`;
  },
});

export const typescriptFile = constantFile({
  label: "typescript",
  assignment:
    /^(?:export[ \t]+)?(?:const|let)[ \t]+([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*(?::[ \t]*string[ \t]*)?=[ \t]*/,
  literal(text, offset) {
    const scanned = scanLiteral(text, offset, ["`", '"', "'"], false, JS_ESCAPES, text[offset] === "`");
    // A template literal with ${…} is code, not a constant prompt.
    if (scanned && text[offset] === "`" && /(^|[^\\])\$\{/.test(text.slice(offset, scanned.end))) return null;
    return scanned;
  },
  quote: (template) => `\`${template.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${")}\``,
});
