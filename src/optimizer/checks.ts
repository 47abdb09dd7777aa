/**
 * Every proposal is checked before it costs anything: it keeps every placeholder and adds none
 * (the app would send an unknown `{{name}}` literally), stays within a
 * bounded length, copies no span of a feedback record (overfitting to, or leaking, user data),
 * and is not a duplicate of a prompt already tried.
 */
import { DEMO_SECTION_ROOM_CHARS, withoutDemonstrations } from "../render/demos.js";
import { placeholders } from "../render/placeholders.js";
import type { Example } from "./dataset.js";

/**
 * Words in a row that count as copying a record: eight shared words are a quoted phrase rather
 * than common wording, and a prompt that quotes feedback overfits to it or leaks it to every user.
 */
export const COPY_SPAN_WORDS = 8;

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

function shingles(text: string, size = COPY_SPAN_WORDS): Set<string> {
  const w = words(text);
  const result = new Set<string>();
  for (let i = 0; i + size <= w.length; i++) result.add(w.slice(i, i + size).join(" "));
  return result;
}

export class ProposalChecker {
  #seed: string;
  #required: string[];
  #recordSpans: Set<string>;
  #tried = new Set<string>();

  constructor(seed: string, records: readonly Example[]) {
    this.#seed = seed;
    this.#required = placeholders(seed);
    const seedSpans = shingles(seed);
    this.#recordSpans = new Set();
    for (const r of records)
      for (const span of shingles(`${Object.values(r.inputs).join(" ")} ${r.output}`))
        if (!seedSpans.has(span)) this.#recordSpans.add(span);
    this.#tried.add(normalize(seed));
  }

  /**
   * Null when the proposal may be evaluated; otherwise why it is refused. With `demonstrations`,
   * the prompt may hold its quoted examples section (record text by design): the copy check
   * skips that section only, and the length limit makes room for it; placeholders are checked
   * on the whole prompt, so a demonstration can never add one.
   */
  problem(template: string, options: { demonstrations?: boolean } = {}): string | null {
    const missing = this.#required.filter((name) => !placeholders(template).includes(name));
    if (missing.length > 0) return `drops placeholder(s) ${missing.map((m) => `{{${m}}}`).join(", ")}`;
    const added = placeholders(template).filter((name) => !this.#required.includes(name));
    if (added.length > 0)
      return `adds placeholder(s) ${added.map((a) => `{{${a}}}`).join(", ")} the active prompt does not have: the app would send ${added.length === 1 ? "it" : "them"} literally`;
    const limit = 2 * this.#seed.length + 2_000 + (options.demonstrations ? DEMO_SECTION_ROOM_CHARS : 0);
    if (template.length > limit) return `too long (${template.length} characters, at most ${limit})`;
    const instruction = options.demonstrations ? withoutDemonstrations(template) : template;
    const copied = [...shingles(instruction)].find((span) => this.#recordSpans.has(span));
    if (copied) return `copies text from a feedback record ("${copied}")`;
    if (this.#tried.has(normalize(template))) return "duplicates a prompt already tried";
    this.#tried.add(normalize(template));
    return null;
  }
}

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();
