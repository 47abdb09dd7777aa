import { describe, expect, it } from "vitest";
import type { PromptFormat } from "../../src/core/task-config-schema.js";
import {
  createPromptFile,
  detectPromptFormat,
  fillPlaceholders,
  placeholders,
  PromptFormatError,
  readPrompt,
  writePrompt,
} from "../../src/render/index.js";

const TEMPLATE =
  'You are "helpful" — résumé ✓.\nSummarize {{ ticket }} for {{customer.name}}.\nUse `code` and \\ backslashes.\n';

/** Real-looking files of every format, with comments, CRLF, unicode and quotes. */
const FILES: Record<PromptFormat, { file: string; template: string }> = {
  text: { file: TEMPLATE, template: TEMPLATE },
  markdown: { file: `---\nowner: support\n---\n${TEMPLATE}`, template: TEMPLATE },
  json: {
    file: '{\r\n    "model": "gpt-4o-mini",\r\n    "prompt": "Summarize {{ticket}}.\\nBe \\"brief\\" ✓",\r\n    "temperature": 0\r\n}\r\n',
    template: 'Summarize {{ticket}}.\nBe "brief" ✓',
  },
  yaml: {
    file: "# The support summarizer\nmodel: gpt-4o-mini  # cheap\nprompt: |\n  Summarize {{ticket}}.\n  Be brief.\ntemperature: 0\n",
    template: "Summarize {{ticket}}.\nBe brief.\n",
  },
  python: {
    file: '"""Prompts of the support bot."""\nimport os\n\nMODEL = "gpt-4o-mini"\nPROMPT = """Summarize {{ticket}}.\nSay \\"hi\\" and use \\\\n literally."""\n\n\ndef build(t):\n    return PROMPT.replace("{{ticket}}", t)\n',
    template: 'Summarize {{ticket}}.\nSay "hi" and use \\n literally.',
  },
  typescript: {
    file: '// The support bot\'s prompt.\nimport { z } from "zod";\n\nexport const MODEL = "gpt-4o-mini";\nexport const PROMPT = `Summarize {{ticket}}.\\nKeep \\`code\\` as is.`;\n\nexport function build(t: string) {\n  return PROMPT.replace("{{ticket}}", t);\n}\n',
    template: "Summarize {{ticket}}.\nKeep `code` as is.",
  },
};

describe("prompt files", () => {
  for (const [format, { file, template }] of Object.entries(FILES) as [
    PromptFormat,
    { file: string; template: string },
  ][]) {
    describe(format, () => {
      it("reads the template", () => {
        expect(readPrompt(file, format)).toBe(template);
      });

      it("writes an unchanged template back as the same bytes", () => {
        expect(writePrompt(file, format, readPrompt(file, format))).toBe(file);
      });

      it("writes a new template that reads back exactly, changing nothing else", () => {
        const changed = writePrompt(file, format, TEMPLATE);
        expect(readPrompt(changed, format)).toBe(TEMPLATE);
        const other = writePrompt(changed, format, template);
        expect(readPrompt(other, format)).toBe(template);
        // Formats whose literal is written the way the fixture wrote it come back byte for byte.
        if (["text", "markdown", "json"].includes(format)) expect(other).toBe(file);
      });

      it("creates a new file that holds the template", () => {
        expect(readPrompt(createPromptFile(format, TEMPLATE), format)).toBe(TEMPLATE);
      });
    });
  }

  it("keeps everything around the literal when the prompt changes", () => {
    const changed = writePrompt(FILES.python.file, "python", "Be brief.");
    expect(changed).toBe(FILES.python.file.replace(/PROMPT = """[\s\S]*?"""/, 'PROMPT = """Be brief."""'));
    const ts = writePrompt(FILES.typescript.file, "typescript", "Use ${x} and `y`");
    expect(ts).toContain("export const PROMPT = `Use \\${x} and \\`y\\``;\n");
    expect(readPrompt(ts, "typescript")).toBe("Use ${x} and `y`");
    const yaml = writePrompt(FILES.yaml.file, "yaml", "Short.\n");
    expect(yaml).toBe(
      "# The support summarizer\nmodel: gpt-4o-mini # cheap\nprompt: |\n  Short.\ntemperature: 0\n",
    );
  });

  it.each([
    ["json", '{"model": "x"}', 'no string field "prompt"'],
    ["json", "{not json", "not valid JSON"],
    ["python", "A = 'x'\nB = 'y'\n", "several string constants (A, B); name the prompt PROMPT"],
    ["python", "x = 1\n", "no module-level string constant"],
    ["typescript", "export const PROMPT = `Hi ${name}`;\n", "no module-level string constant"],
    ["yaml", "model: x\n", "no string field prompt"],
  ] as const)("explains what is missing in a %s file", (format, file, message) => {
    expect(() => readPrompt(file, format)).toThrow(PromptFormatError);
    expect(() => readPrompt(file, format)).toThrow(message);
  });

  it("detects a file's format", () => {
    expect(
      ["a.md", "a.json", "a.yaml", "a.py", "src/p.ts", "p.txt"].map((p) => detectPromptFormat(p)),
    ).toEqual(["markdown", "json", "yaml", "python", "typescript", "text"]);
  });
});

describe("placeholders", () => {
  it("lists and fills {{variables}}, dotted ones included, leaving unknown ones visible", () => {
    expect(placeholders(TEMPLATE)).toEqual(["ticket", "customer.name"]);
    expect(
      fillPlaceholders("Hi {{ customer.name }}: {{ticket}} {{missing}}", {
        ticket: "T-1",
        customer: { name: "Ada" },
      }),
    ).toBe("Hi Ada: T-1 {{missing}}");
  });
});
