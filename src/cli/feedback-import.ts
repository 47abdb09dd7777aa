/**
 * `kaizen feedback import`: feedback from a JSONL or CSV file (or standard input) into a task's
 * log. Every line is validated first and every bad line is reported by number and field; nothing
 * is imported unless all are valid. Lines without an id get one derived from their content
 * (task, inputs, output, score, source, metadata), so importing the same data twice, from any
 * file or from standard input, stores each entry once, while different data is never taken for a
 * duplicate. Each import gets an id, recorded with the entries it added, so that
 * `kaizen feedback delete --import ID` can take it back. Large files stream.
 *
 * A CSV is read the way spreadsheets export it: a column per input (`message,output,score`). The
 * columns that are not feedback fields become `inputs` (or only those `--inputs` names), and a
 * line whose inputs end up empty is an error: an entry without inputs teaches the optimizer
 * nothing, and several of them collide into one id.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { v5 as uuidv5 } from "uuid";
import { newId, taskId } from "../core/ids.js";
import { FeedbackInput, FeedbackResult, Timestamp } from "../core/records.js";
import { closestName } from "../core/suggest.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { describeIssue } from "../core/zod-issues.js";
import { placeholders } from "../render/placeholders.js";
import { recordImport } from "../store/feedback-edits.js";
import type { Store } from "../store/store.js";
import { CliUsageError, type CliIo } from "./command.js";
import { csvRows } from "./csv.js";
import { elsewhere, painter, Progress } from "./output.js";

const IMPORT_NAMESPACE = "3f6c1a52-8d0e-5b7a-9c4e-1d2f3a4b5c6d";
const BATCH = 5_000;
const MAX_ERRORS_SHOWN = 50;

/** The keys a feedback line may have: the API's fields, and `created_at` as an export writes it. */
export const FEEDBACK_FIELDS: readonly string[] = [...Object.keys(FeedbackInput.shape), "created_at"];

interface Problem {
  line: number;
  field: string;
  message: string;
}

export interface ImportOptions {
  source: string;
  format: "jsonl" | "csv";
  task?: string;
  /** CSV columns that are the inputs; by default every column that is not a feedback field. */
  inputs?: string[];
  json: boolean;
  repoDir: string;
}

export async function importFeedback(
  store: Store,
  tasks: Map<string, TaskConfig>,
  options: ImportOptions,
  io: CliIo,
): Promise<number> {
  // Standard input is read once into a temporary file: validation and import are two passes.
  let file = path.resolve(io.cwd, options.source);
  let scratch: string | null = null;
  if (options.source === "-") {
    scratch = await mkdtemp(path.join(tmpdir(), "kaizen-import-"));
    file = path.join(scratch, "input");
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    await writeFile(file, Buffer.concat(chunks));
  }
  try {
    const now = new Date().toISOString();
    const defaultTask = options.task ? tasks.get(options.task) : undefined;
    const expected = defaultTask ? await promptPlaceholders(store, defaultTask, options.repoDir) : [];
    const read = () =>
      options.format === "jsonl"
        ? jsonlEntries(file)
        : csvEntries(file, { inputs: options.inputs, expected });
    const toRecord = (
      line: number,
      raw: Record<string, unknown>,
      problems: Problem[],
    ): { task: string; record: FeedbackResult } | null => {
      const { created_at: createdAt, ...rest } = raw;
      const withTask = !rest.task_id && options.task ? { ...rest, task_id: options.task } : rest;
      const parsed = FeedbackInput.safeParse(withTask);
      const created = createdAt === undefined ? now : Timestamp.safeParse(createdAt);
      if (typeof created === "object" && !created.success)
        problems.push({ line, field: "created_at", message: "must be an ISO 8601 date and time" });
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
      if (typeof created === "object" && !created.success) return null;
      const id = parsed.data.id ?? contentId(task.name, parsed.data);
      return {
        task: task.name,
        record: FeedbackResult.parse({
          ...parsed.data,
          id,
          task_id: taskId("local", task.name),
          created_at: typeof created === "string" ? created : created.data,
        }),
      };
    };

    // Pass 1: validate every line, keeping only the problems.
    const problems: Problem[] = [];
    let total = 0;
    let headers = 0;
    const notes = new Set<string>();
    for await (const entry of read()) {
      if (entry.note) {
        notes.add(entry.note);
        continue;
      }
      if (entry.header) headers++;
      else total++;
      if (entry.problems.length > 0) problems.push(...entry.problems);
      else if (entry.raw) toRecord(entry.line, entry.raw, problems);
    }
    if (problems.length > 0) {
      report(io, problems, total + headers, options.json);
      return 1;
    }
    if (!options.json) for (const note of notes) io.stderr.write(`${note}\n`);

    // Pass 2: import in batches, with progress, keeping the ids each task got from this import.
    const importId = newId();
    const bar = new Progress(io.stderr, io.isTTY, "import", total);
    const addedIds = new Map<string, Set<string>>();
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
        // A record stored now comes back exactly as given; a duplicate as the entry stored first.
        const ids = addedIds.get(task) ?? new Set<string>();
        result.records.forEach((stored, i) => {
          if (JSON.stringify(stored) === JSON.stringify(records[i])) ids.add(stored.id);
        });
        addedIds.set(task, ids);
      }
      batch = new Map();
    };
    for await (const entry of read()) {
      if (!entry.raw) continue;
      const { task, record } = toRecord(entry.line, entry.raw, [])!;
      const group = batch.get(task);
      if (group) group.push(record);
      else batch.set(task, [record]);
      if (++done % BATCH === 0) {
        await flush();
        bar.update(done);
      }
    }
    await flush();
    bar.finish();
    const imported = [...addedIds].filter(([, ids]) => ids.size > 0);
    for (const [task, ids] of imported)
      await recordImport(store, {
        id: importId,
        task,
        source: options.source,
        created_at: now,
        feedback_ids: [...ids],
      });

    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ lines: total, added, duplicates, import_id: imported.length > 0 ? importId : null })}\n`,
      );
      return 0;
    }
    const paint = painter(io);
    io.stdout.write(
      `${paint("green", "Imported")} ${added} feedback entr${added === 1 ? "y" : "ies"} from ${total} line(s)${duplicates ? `; skipped ${duplicates} already stored (the same id, or without an id the same task, inputs, output, score, source and metadata)` : ""}.\n`,
    );
    for (const [task] of imported)
      io.stdout.write(
        `Import ${importId}; to take it back: kaizen feedback delete --task ${task} --import ${importId}${elsewhere(io.cwd, options.repoDir).repo}\n`,
      );
    return 0;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** The task prompt's placeholders, from the working tree's file (else the committed one). */
async function promptPlaceholders(store: Store, task: TaskConfig, repoDir: string): Promise<string[]> {
  const promptPath = task.prompt_path;
  if (!promptPath) return [];
  const text =
    (await readFile(path.join(repoDir, promptPath), "utf8").catch(() => null)) ??
    (await store.readRepoFile(promptPath).catch(() => null));
  return text ? placeholders(text).map((name) => name.split(".")[0]!) : [];
}

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

/** One line of the file: its entry, or what is wrong with it, or a note to print once. */
interface Entry {
  line: number;
  raw: Record<string, unknown> | null;
  problems: Problem[];
  /** The CSV header (counted apart from the entries). */
  header?: boolean;
  note?: string;
}

const notAField = (key: string) => {
  const near = closestName(key, FEEDBACK_FIELDS);
  return `not a feedback field${near ? `; did you mean ${near}?` : ""} (the fields: ${FEEDBACK_FIELDS.join(", ")})`;
};

async function* jsonlEntries(file: string): AsyncGenerator<Entry> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      yield {
        line,
        raw: null,
        problems: [{ line, field: "(line)", message: `not valid JSON: ${(error as Error).message}` }],
      };
      continue;
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      yield { line, raw: null, problems: [{ line, field: "(line)", message: "must be a JSON object" }] };
      continue;
    }
    // An unknown key is a typo far more often than extra data: `"input"` for `inputs` would
    // otherwise import every line without its inputs.
    const problems = Object.keys(raw)
      .filter((key) => !FEEDBACK_FIELDS.includes(key))
      .map((key) => ({ line, field: key, message: notAField(key) }));
    yield { line, raw: raw as Record<string, unknown>, problems };
  }
}

async function* csvEntries(
  file: string,
  options: { inputs: string[] | undefined; expected: string[] },
): AsyncGenerator<Entry> {
  let header: string[] | null = null;
  let inputColumns: string[] = [];
  for await (const { line, fields, error } of csvRows(file)) {
    if (error) {
      yield { line, raw: null, problems: [{ line, field: "(line)", message: error }] };
      return;
    }
    if (!header) {
      header = fields.map((f) => f.trim());
      const columns = classifyColumns(header, line, options);
      yield { line, raw: null, problems: columns.problems, header: true };
      if (columns.problems.length > 0) return;
      inputColumns = columns.inputs;
      for (const note of columns.notes) yield { line: 0, raw: null, problems: [], note };
      continue;
    }
    if (fields.length !== header.length) {
      yield {
        line,
        raw: null,
        problems: [
          { line, field: "(line)", message: `has ${fields.length} field(s), the header ${header.length}` },
        ],
      };
      continue;
    }
    const row: Record<string, unknown> = {};
    const problems: Problem[] = [];
    const inputs: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const value = fields[i]!;
      if (inputColumns.includes(name)) {
        if (value.trim() !== "") inputs[name] = value;
        return;
      }
      if (value === "" || !FEEDBACK_FIELDS.includes(name)) return;
      if (name === "inputs" || name === "metadata") {
        try {
          row[name] = JSON.parse(value);
        } catch {
          problems.push({ line, field: name, message: "not valid JSON" });
        }
      } else if (name === "score") row[name] = Number(value);
      else row[name] = value;
    });
    // Columns and an inputs cell of JSON together: the cell's keys join the columns'.
    const cell = row.inputs;
    if (cell && typeof cell === "object" && !Array.isArray(cell)) Object.assign(inputs, cell);
    else if (cell !== undefined && cell !== null && inputColumns.length > 0)
      problems.push({ line, field: "inputs", message: "must be a JSON object beside input columns" });
    const merged = inputColumns.length > 0 || (cell && typeof cell === "object") ? inputs : cell;
    const empty =
      merged === undefined ||
      merged === null ||
      (typeof merged === "object" && Object.keys(merged).length === 0);
    if (empty && problems.length === 0)
      problems.push({
        line,
        field: "inputs",
        message: `empty: ${inputColumns.length > 0 ? `the input column(s) ${inputColumns.join(", ")} are blank` : "the inputs cell is blank"} on this line`,
      });
    yield { line, raw: { ...row, inputs: merged }, problems };
  }
}

/**
 * Which CSV columns are the inputs: `--inputs` when given, else every column that is not a
 * feedback field. A column whose name is a near miss of a field (`ouput`) is refused unless the
 * prompt has a placeholder of that name or `--inputs` names it: it is a typo far more often.
 */
function classifyColumns(
  header: string[],
  line: number,
  options: { inputs: string[] | undefined; expected: string[] },
): { inputs: string[]; problems: Problem[]; notes: string[] } {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const others = header.filter((name) => !FEEDBACK_FIELDS.includes(name));
  let inputs: string[];
  if (options.inputs) {
    for (const name of options.inputs.filter((n) => !header.includes(n)))
      problems.push({
        line,
        field: name,
        message: `--inputs names a column the header does not have (${header.join(", ")})`,
      });
    inputs = options.inputs.filter((n) => header.includes(n));
    const ignored = others.filter((name) => !inputs.includes(name));
    if (ignored.length > 0)
      notes.push(`Ignored column(s) ${ignored.join(", ")}: not feedback fields, and not in --inputs.`);
  } else {
    for (const name of others) {
      const near = closestName(name, FEEDBACK_FIELDS);
      if (near && !options.expected.includes(name))
        problems.push({
          line,
          field: name,
          message: `did you mean ${near}? (to import it as an input, name it: --inputs ${others.join(",")})`,
        });
    }
    inputs = others;
  }
  if (problems.length > 0) return { inputs, problems, notes };
  if (inputs.length === 0 && !header.includes("inputs")) {
    problems.push({
      line,
      field: "(header)",
      message: `no column gives the inputs: add a column per input${options.expected.length > 0 ? ` (the prompt's placeholders: ${options.expected.join(", ")})` : ""}, or an inputs column of JSON objects`,
    });
    return { inputs, problems, notes };
  }
  if (inputs.length > 0) {
    const missing = options.expected.filter((name) => !inputs.includes(name));
    notes.push(
      `Inputs from column(s) ${inputs.join(", ")}${missing.length > 0 ? `; the prompt's placeholder(s) ${missing.join(", ")} have no column` : ""}.`,
    );
  }
  return { inputs, problems, notes };
}

export function parseInputsOption(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new CliUsageError("--inputs needs column names, e.g. --inputs message,context");
  return names;
}
