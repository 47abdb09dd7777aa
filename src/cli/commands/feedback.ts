/**
 * `kaizen feedback import FILE`: feedback from a JSONL or CSV file (or standard input) into a
 * task's log. Every line is validated first and every bad line is reported by number and field;
 * nothing is imported unless all are valid. Lines without an id get one derived from their
 * content (task, inputs, output, score, source, metadata), so importing the same data twice, from
 * any file or from standard input, stores each entry once, while different data is never taken
 * for a duplicate. Large files stream.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { v5 as uuidv5 } from "uuid";
import { taskId } from "../../core/ids.js";
import { FeedbackInput, FeedbackResult } from "../../core/records.js";
import { describeIssue } from "../../core/zod-issues.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { loadTasks } from "../../store/tasks.js";
import { CliUsageError, parseCommandArgs, type CliIo, type Command } from "../command.js";
import { csvRows } from "../csv.js";
import { painter, Progress } from "../output.js";

const IMPORT_NAMESPACE = "3f6c1a52-8d0e-5b7a-9c4e-1d2f3a4b5c6d";
const BATCH = 5_000;
const MAX_ERRORS_SHOWN = 50;

interface Problem {
  line: number;
  field: string;
  message: string;
}

export const feedbackCommand: Command = {
  usage: `Usage: kaizen feedback import FILE|- [--task NAME] [--format jsonl|csv] [--repo DIR] [--json]

Imports feedback entries into the kaizen/data branch of a local repository. JSONL: one object a
line with the API's fields (task_id, inputs, output, score, source, metadata, id). CSV: a header
row with those columns (inputs and metadata as JSON). --task sets the task of lines without one.
Every line is checked first; if any is bad, each bad line is listed and nothing is imported.

Example:
  kaizen feedback import reviews.jsonl --task summarize_ticket
  cat export.csv | kaizen feedback import - --format csv --task summarize_ticket`,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== "import")
      throw new CliUsageError(
        action ? `unknown action "${action}": the only one is import` : "say what to do: import FILE",
      );
    const { values, positionals } = parseCommandArgs(
      rest,
      {
        task: { type: "string" },
        format: { type: "string" },
        repo: { type: "string" },
        json: { type: "boolean" },
      },
      true,
    );
    const source = positionals[0];
    if (!source) throw new CliUsageError("import needs a FILE (or - for standard input)");
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const tasks = new Map((await loadTasks(store)).tasks.map((t) => [t.name, t]));
    const format = values.format ?? (source.endsWith(".csv") ? "csv" : "jsonl");
    if (format !== "jsonl" && format !== "csv")
      throw new CliUsageError(`--format must be jsonl or csv, got "${format}"`);

    // Standard input is read once into a temporary file: validation and import are two passes.
    let file = path.resolve(io.cwd, source);
    let scratch: string | null = null;
    if (source === "-") {
      scratch = await mkdtemp(path.join(tmpdir(), "kaizen-import-"));
      file = path.join(scratch, "input");
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
      await writeFile(file, Buffer.concat(chunks));
    }
    try {
      const toRecord = (
        line: number,
        raw: unknown,
        problems: Problem[],
      ): { task: string; record: FeedbackResult } | null => {
        const withTask =
          raw &&
          typeof raw === "object" &&
          !Array.isArray(raw) &&
          !(raw as { task_id?: unknown }).task_id &&
          values.task
            ? { ...(raw as object), task_id: values.task }
            : raw;
        const parsed = FeedbackInput.safeParse(withTask);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const problem = describeIssue(issue, withTask);
            problems.push({ line, field: problem.path || "(line)", message: problem.message });
          }
          return null;
        }
        const task = [...tasks.values()].find(
          (t) => t.name === parsed.data.task_id || taskId("local", t.name) === parsed.data.task_id,
        );
        if (!task) {
          problems.push({
            line,
            field: "task_id",
            message: `task ${parsed.data.task_id} not found in .kaizen/tasks/ (or give --task)`,
          });
          return null;
        }
        const id = parsed.data.id ?? contentId(task.name, parsed.data);
        return {
          task: task.name,
          record: FeedbackResult.parse({
            ...parsed.data,
            id,
            task_id: taskId("local", task.name),
            created_at: new Date().toISOString(),
          }),
        };
      };

      // Pass 1: validate every line, keeping only the problems.
      const problems: Problem[] = [];
      let total = 0;
      for await (const { line, raw, error } of readEntries(file, format)) {
        total++;
        if (error) problems.push({ line, field: "(line)", message: error });
        else toRecord(line, raw, problems);
      }
      const paint = painter(io);
      if (problems.length > 0) {
        report(io, problems, total, values.json ?? false);
        return 1;
      }

      // Pass 2: import in batches, with progress.
      const bar = new Progress(io.stderr, io.isTTY, "import", total);
      let added = 0;
      let duplicates = 0;
      let done = 0;
      let batch = new Map<string, FeedbackResult[]>();
      const flush = async () => {
        for (const [task, records] of batch) {
          const result = await store.appendFeedback(task, records, {
            retentionLimit: Math.max(tasks.get(task)!.feedback_retention_limit, 1),
          });
          added += result.added;
          duplicates += result.duplicates;
        }
        batch = new Map();
      };
      for await (const { line, raw } of readEntries(file, format)) {
        const entry = toRecord(line, raw, [])!;
        const group = batch.get(entry.task);
        if (group) group.push(entry.record);
        else batch.set(entry.task, [entry.record]);
        if (++done % BATCH === 0) {
          await flush();
          bar.update(done);
        }
      }
      await flush();
      bar.finish();
      if (values.json) io.stdout.write(`${JSON.stringify({ lines: total, added, duplicates })}\n`);
      else
        io.stdout.write(
          `${paint("green", "Imported")} ${added} feedback entr${added === 1 ? "y" : "ies"} from ${total} line(s)${duplicates ? `; skipped ${duplicates} already stored (the same id, or without an id the same task, inputs, output, score, source and metadata)` : ""}.\n`,
        );
      return 0;
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  },
};

/**
 * The id of an entry without one: a UUIDv5 of its content with object keys sorted, so the
 * same feedback gets the same id whatever file (or standard input) it comes from.
 */
function contentId(task: string, input: Omit<FeedbackInput, "id" | "task_id">): string {
  const { inputs, output, score, source, metadata } = input;
  return uuidv5(canonicalJson({ task, inputs, output, score, source, metadata }), IMPORT_NAMESPACE);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

function report(io: CliIo, problems: Problem[], total: number, json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ imported: 0, problems }, null, 2)}\n`);
    return;
  }
  const paint = painter(io);
  const lines = new Set(problems.map((p) => p.line)).size;
  for (const p of problems.slice(0, MAX_ERRORS_SHOWN))
    io.stderr.write(`line ${p.line}: ${p.field}: ${p.message}\n`);
  if (problems.length > MAX_ERRORS_SHOWN)
    io.stderr.write(`… and ${problems.length - MAX_ERRORS_SHOWN} more problem(s)\n`);
  io.stderr.write(
    `${paint("red", "error:")} ${lines} of ${total} line(s) are invalid; nothing was imported. Fix them and run the import again.\n`,
  );
}

/** Entries of a file, one at a time, with their line numbers; a malformed line carries its error. */
async function* readEntries(
  file: string,
  format: "jsonl" | "csv",
): AsyncGenerator<{ line: number; raw: unknown; error?: string }> {
  if (format === "jsonl") {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === "") continue;
      try {
        yield { line, raw: JSON.parse(text) };
      } catch (error) {
        yield { line, raw: null, error: `not valid JSON: ${(error as Error).message}` };
      }
    }
    return;
  }
  let header: string[] | null = null;
  for (const { line, fields } of csvRows(await readFile(file, "utf8"))) {
    if (!header) {
      header = fields.map((f) => f.trim());
      continue;
    }
    const row: Record<string, unknown> = {};
    let error: string | undefined;
    header.forEach((name, i) => {
      const value = fields[i] ?? "";
      if (value === "") return;
      if (name === "inputs" || name === "metadata") {
        try {
          row[name] = JSON.parse(value);
        } catch {
          error = `${name}: not valid JSON`;
        }
      } else if (name === "score") row[name] = Number(value);
      else row[name] = value;
    });
    yield { line, raw: row, ...(error ? { error } : {}) };
  }
}
