import { describe, expect, it } from "vitest";
import { PROMPT_FORMATS } from "../../src/core/task-config-schema.js";
import { withDemonstrations, withoutDemonstrations } from "../../src/render/demos.js";
import { createPromptFile, placeholders, readPrompt, writePrompt } from "../../src/render/index.js";

const instruction = "Label the ticket with one word.\n\nTicket: {{ticket}}\n";
const demos = [
  { id: "1", inputs: { ticket: 'I was charged twice "again" \\ `now` ${x}' }, output: "BIL-7" },
  { id: "2", inputs: { ticket: "It freezes {{at}} login\n'''second line'''" }, output: "TEC-3" },
];
const EXISTING: Record<(typeof PROMPT_FORMATS)[number], string> = {
  text: "Old prompt {{ticket}}\n",
  markdown: "---\nowner: support\n---\nOld prompt {{ticket}}\n",
  json: '{\n  "model": "gpt-4.1",\n  "prompt": "Old prompt {{ticket}}"\n}\n',
  yaml: "# the support prompt\nmodel: gpt-4.1\nprompt: Old prompt {{ticket}}\n",
  python: 'MODEL = "gpt-4.1"\nPROMPT = """Old prompt {{ticket}}"""\n',
  typescript: 'export const MODEL = "gpt-4.1";\nexport const PROMPT = `Old prompt {{ticket}}`;\n',
};

describe("demonstrations in every prompt format", () => {
  for (const format of PROMPT_FORMATS) {
    it(`${format}: the examples section survives writing the file and reading it back`, () => {
      const prompt = withDemonstrations(instruction, demos, format);
      expect(prompt.indexOf("<example>")).toBeLessThan(prompt.indexOf("Ticket: {{ticket}}"));
      expect(placeholders(prompt)).toEqual(["ticket"]);
      expect(readPrompt(createPromptFile(format, prompt), format)).toBe(prompt);
      const written = writePrompt(EXISTING[format], format, prompt);
      expect(readPrompt(written, format)).toBe(prompt);
      // The rest of the file is kept.
      if (format !== "text" && format !== "markdown") expect(written).toContain("gpt-4.1");
      if (format === "markdown") {
        expect(written.startsWith("---\nowner: support\n---\n")).toBe(true);
        expect(prompt).toContain("## Examples");
      }
    });
  }

  it("can be taken out again, leaving the instruction's words", () => {
    const prompt = withDemonstrations(instruction, demos, "text");
    expect(withoutDemonstrations(prompt).replace(/\s+/g, " ").trim()).toBe(
      instruction.replace(/\s+/g, " ").trim(),
    );
    expect(withDemonstrations(instruction, [], "text")).toBe(instruction);
  });

  it("goes at the end of a template without placeholders", () => {
    const prompt = withDemonstrations("Answer briefly.", demos.slice(0, 1), "text");
    expect(prompt.startsWith("Answer briefly.\n\nExamples")).toBe(true);
  });
});
