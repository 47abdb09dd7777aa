/**
 * `kaizen feedback import|delete|export`: bring feedback in from a file, take it back (an
 * import, entries before a date, entries by id), and take it out as JSONL or CSV.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { FeedbackResult } from "../../core/records.js";
import { deleteFeedback, describeSelection, type FeedbackSelection } from "../../store/feedback-edits.js";
import { LocalGitStore } from "../../store/local-git-store.js";
import { toJsonl } from "../../store/segments.js";
import { loadTasks } from "../../store/tasks.js";
import { CliUsageError, parseCommandArgs, type CliIo, type Command } from "../command.js";
import { toCsv } from "../csv.js";
import { FEEDBACK_FIELDS, importFeedback, parseInputsOption } from "../feedback-import.js";
import { painter } from "../output.js";

export const feedbackCommand: Command = {
  usage: `Usage: kaizen feedback import FILE|- [--task NAME] [--format jsonl|csv] [--inputs COL,…] [--repo DIR] [--json]
       kaizen feedback delete --task NAME (--import ID | --before DATE | --id ID …) [--repo DIR] [--json]
       kaizen feedback export --task NAME [--format jsonl|csv] [--output FILE] [--repo DIR]

import: feedback entries into the kaizen/data branch of a local repository. JSONL: one object a
line with the API's fields (task_id, inputs, output, score, source, metadata, id); an unknown key
is an error. CSV: a header row, as a spreadsheet exports it: the feedback fields by name (output,
score, source, id, task_id; metadata as JSON) and every other column an input (message,output,score
gives inputs {"message": …}); --inputs names the input columns instead. An inputs column of JSON
objects works too. --task sets the task of lines without one. Every line is checked first; if any
is bad (a line without inputs among them), each bad line is listed and nothing is imported. Each
import prints its id.

delete: removes a task's entries, of one import, created before a date, or with the given ids
(criteria combine), in one commit on kaizen/data whose message says what it removed.

export: a task's feedback to standard output (or --output FILE), as JSONL (the stored records)
or CSV (a column per input when every input is text, else an inputs column of JSON).

Examples:
  kaizen feedback import reviews.csv --task summarize_ticket
  cat export.csv | kaizen feedback import - --format csv --task summarize_ticket --inputs message
  kaizen feedback delete --task summarize_ticket --import 0193…
  kaizen feedback export --task summarize_ticket --format csv --output feedback.csv`,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === "import") return runImport(rest, io);
    if (action === "delete") return runDelete(rest, io);
    if (action === "export") return runExport(rest, io);
    throw new CliUsageError(
      action
        ? `unknown action "${action}": the actions are import, delete and export`
        : "say what to do: import FILE, delete or export",
    );
  },
};

function formatOption(raw: string | undefined, fallback: "jsonl" | "csv"): "jsonl" | "csv" {
  const format = raw ?? fallback;
  if (format !== "jsonl" && format !== "csv")
    throw new CliUsageError(`--format must be jsonl or csv, got "${format}"`);
  return format;
}

async function openRepo(io: CliIo, repo: string | undefined) {
  const repoDir = path.resolve(io.cwd, repo ?? ".");
  const store = await LocalGitStore.open(repoDir);
  const tasks = new Map((await loadTasks(store)).tasks.map((t) => [t.name, t]));
  return { repoDir, store, tasks };
}

async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      task: { type: "string" },
      format: { type: "string" },
      inputs: { type: "string" },
      repo: { type: "string" },
      json: { type: "boolean" },
    },
    true,
  );
  const source = positionals[0];
  if (!source) throw new CliUsageError("import needs a FILE (or - for standard input)");
  const format = formatOption(values.format, source.endsWith(".csv") ? "csv" : "jsonl");
  const inputs = parseInputsOption(values.inputs);
  if (inputs && format !== "csv")
    throw new CliUsageError("--inputs names CSV columns: use it with a CSV file");
  const { repoDir, store, tasks } = await openRepo(io, values.repo);
  return importFeedback(
    store,
    tasks,
    {
      source,
      format,
      json: values.json ?? false,
      repoDir,
      ...(values.task ? { task: values.task } : {}),
      ...(inputs ? { inputs } : {}),
    },
    io,
  );
}

async function runDelete(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    task: { type: "string" },
    import: { type: "string" },
    before: { type: "string" },
    id: { type: "string", multiple: true },
    repo: { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.task) throw new CliUsageError("delete needs --task NAME");
  const selection: FeedbackSelection = {};
  if (values.import) selection.importId = values.import;
  if (values.before) {
    const before = new Date(values.before);
    if (Number.isNaN(before.getTime()))
      throw new CliUsageError(
        `--before must be a date (2026-11-30 or 2026-11-30T12:00:00Z), got "${values.before}"`,
      );
    selection.before = before;
  }
  if (values.id?.length) selection.ids = values.id;
  if (Object.keys(selection).length === 0)
    throw new CliUsageError(
      "say which entries to delete: --import ID, --before DATE or --id ID (repeatable)",
    );
  const { store, tasks } = await openRepo(io, values.repo);
  if (!tasks.has(values.task)) throw new CliUsageError(`no task "${values.task}" in .kaizen/tasks/`);
  const result = await deleteFeedback(store, values.task, selection);
  if (result.unknownImport) {
    io.stderr.write(
      `${painter(io)("red", "error:")} no import ${selection.importId} of task ${values.task} (an import's id is printed when it runs; \`git log kaizen/data -- imports/${values.task}\` lists them)\n`,
    );
    return 1;
  }
  const n = result.removed.length;
  if (values.json)
    io.stdout.write(`${JSON.stringify({ deleted: n, ids: result.removed.map((r) => r.id) })}\n`);
  else
    io.stdout.write(
      `${n === 0 ? "Deleted nothing: no" : `Deleted ${n}`} feedback entr${n === 1 ? "y" : "ies"} of ${values.task} ${describeSelection(selection)}${n === 0 ? "." : ", in one commit on kaizen/data."}\n`,
    );
  return 0;
}

async function runExport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    task: { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    repo: { type: "string" },
  });
  if (!values.task) throw new CliUsageError("export needs --task NAME");
  const format = formatOption(values.format, values.output?.endsWith(".csv") ? "csv" : "jsonl");
  const { store, tasks } = await openRepo(io, values.repo);
  if (!tasks.has(values.task)) throw new CliUsageError(`no task "${values.task}" in .kaizen/tasks/`);
  const entries: FeedbackResult[] = [];
  for await (const entry of store.readFeedback(values.task)) entries.push(entry);
  const text = format === "jsonl" ? toJsonl(entries) : feedbackCsv(entries);
  if (values.output) {
    await writeFile(path.resolve(io.cwd, values.output), text);
    io.stderr.write(`Exported ${entries.length} feedback entries of ${values.task} to ${values.output}.\n`);
  } else io.stdout.write(text);
  return 0;
}

/**
 * Feedback as a spreadsheet would have it: a column per input when every input is text and no
 * input is named like a feedback field (so that `kaizen feedback import` reads it back as it
 * was), else one inputs column of JSON.
 */
function feedbackCsv(entries: readonly FeedbackResult[]): string {
  const names = new Set<string>();
  let flat = true;
  for (const { inputs } of entries) {
    if (inputs === null) continue;
    if (typeof inputs !== "object" || Array.isArray(inputs)) flat = false;
    else
      for (const [key, value] of Object.entries(inputs)) {
        names.add(key);
        if (typeof value !== "string" || FEEDBACK_FIELDS.includes(key)) flat = false;
      }
  }
  const inputColumns = flat ? [...names] : ["inputs"];
  const header = ["id", "created_at", ...inputColumns, "output", "score", "source", "metadata"];
  const rows = entries.map((e) => [
    e.id,
    e.created_at,
    ...(flat
      ? inputColumns.map((name) => String((e.inputs as Record<string, string> | null)?.[name] ?? ""))
      : [e.inputs === null ? "" : JSON.stringify(e.inputs)]),
    e.output ?? "",
    e.score === null ? "" : String(e.score),
    e.source ?? "",
    e.metadata === null ? "" : JSON.stringify(e.metadata),
  ]);
  return toCsv(header, rows);
}
