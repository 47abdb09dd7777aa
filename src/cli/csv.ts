/**
 * CSV through csv-parse (RFC 4180 and what spreadsheets actually write: a byte-order mark, CRLF,
 * quoted fields with commas, quotes and newlines inside), with the line each row starts on so
 * that every problem can be reported where a person will look for it.
 */
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { parse, type Info } from "csv-parse";
import { stringify } from "csv-stringify/sync";

export interface CsvRow {
  /** The line the row starts on (a quoted field may span several). */
  line: number;
  fields: string[];
  /** Set when the file cannot be read past this row (an unclosed quote); no row follows. */
  error?: string;
}

const LF = 0x0a;
const CR = 0x0d;

/** The rows of a CSV file, header included; blank lines are skipped. */
export async function* csvRows(file: string): AsyncGenerator<CsvRow> {
  const bytes = await readFile(file);
  const parser = Readable.from([bytes]).pipe(
    parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true }),
  );
  // csv-parse's own line count counts a quoted CRLF twice; its byte offsets are exact, so the
  // line of a row is counted here from where the previous row ended.
  let offset = 0;
  let line = 1;
  const advanceTo = (end: number) => {
    for (; offset < end; offset++) if (bytes[offset] === LF) line++;
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      let start = offset;
      while (start < bytes.length && (bytes[start] === LF || bytes[start] === CR)) start++;
      advanceTo(start);
      yield { line, fields: record };
      advanceTo(info.bytes);
    }
  } catch (error) {
    // A file that cannot be parsed on (an unclosed quote) stops here; csv-parse names the line.
    const { message, lines } = error as Error & { lines?: number };
    yield { line: lines ?? line, fields: [], error: message.replace(/^[A-Za-z ]+: /, "") };
  }
}

/** Rows as CSV text, quoting only where needed, with a header row. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header, ...rows], { record_delimiter: "\n" });
}
