import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  LocalGitStore
} from "./chunk-HQNAUYHO.js";
import {
  Progress,
  painter
} from "./chunk-WIQSA56B.js";
import {
  CliUsageError,
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import {
  taskId,
  v5_default
} from "./chunk-H57QFYJN.js";
import {
  loadTasks
} from "./chunk-A3WLGUKI.js";
import {
  FeedbackInput,
  FeedbackResult
} from "./chunk-U323PJSG.js";
import {
  describeIssue
} from "./chunk-IM6PW7XL.js";

// src/cli/commands/feedback.ts
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

// src/cli/csv.ts
function* csvRows(text) {
  let fields = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.some((f) => f !== "")) yield { line: rowLine, fields };
      fields = [];
      field = "";
      line++;
      rowLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f !== "")) yield { line: rowLine, fields };
}

// src/cli/commands/feedback.ts
var IMPORT_NAMESPACE = "3f6c1a52-8d0e-5b7a-9c4e-1d2f3a4b5c6d";
var BATCH = 5e3;
var MAX_ERRORS_SHOWN = 50;
var feedbackCommand = {
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
        action ? `unknown action "${action}": the only one is import` : "say what to do: import FILE"
      );
    const { values, positionals } = parseCommandArgs(
      rest,
      {
        task: { type: "string" },
        format: { type: "string" },
        repo: { type: "string" },
        json: { type: "boolean" }
      },
      true
    );
    const source = positionals[0];
    if (!source) throw new CliUsageError("import needs a FILE (or - for standard input)");
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const tasks = new Map((await loadTasks(store)).tasks.map((t) => [t.name, t]));
    const format = values.format ?? (source.endsWith(".csv") ? "csv" : "jsonl");
    if (format !== "jsonl" && format !== "csv")
      throw new CliUsageError(`--format must be jsonl or csv, got "${format}"`);
    let file = path.resolve(io.cwd, source);
    let scratch = null;
    if (source === "-") {
      scratch = await mkdtemp(path.join(tmpdir(), "kaizen-import-"));
      file = path.join(scratch, "input");
      const chunks = [];
      for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
      await writeFile(file, Buffer.concat(chunks));
    }
    try {
      const toRecord = (line, raw, problems2) => {
        const withTask = raw && typeof raw === "object" && !Array.isArray(raw) && !raw.task_id && values.task ? { ...raw, task_id: values.task } : raw;
        const parsed = FeedbackInput.safeParse(withTask);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const problem = describeIssue(issue, withTask);
            problems2.push({ line, field: problem.path || "(line)", message: problem.message });
          }
          return null;
        }
        const task = [...tasks.values()].find(
          (t) => t.name === parsed.data.task_id || taskId("local", t.name) === parsed.data.task_id
        );
        if (!task) {
          problems2.push({
            line,
            field: "task_id",
            message: `task ${parsed.data.task_id} not found in .kaizen/tasks/ (or give --task)`
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
            created_at: (/* @__PURE__ */ new Date()).toISOString()
          })
        };
      };
      const problems = [];
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
      const bar = new Progress(io.stderr, io.isTTY, "import", total);
      let added = 0;
      let duplicates = 0;
      let done = 0;
      let batch = /* @__PURE__ */ new Map();
      const flush = async () => {
        for (const [task, records] of batch) {
          const result = await store.appendFeedback(task, records, {
            retentionLimit: Math.max(tasks.get(task).feedback_retention_limit, 1)
          });
          added += result.added;
          duplicates += result.duplicates;
        }
        batch = /* @__PURE__ */ new Map();
      };
      for await (const { line, raw } of readEntries(file, format)) {
        const entry = toRecord(line, raw, []);
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
      if (values.json) io.stdout.write(`${JSON.stringify({ lines: total, added, duplicates })}
`);
      else
        io.stdout.write(
          `${paint("green", "Imported")} ${added} feedback entr${added === 1 ? "y" : "ies"} from ${total} line(s)${duplicates ? `; skipped ${duplicates} already stored (the same id, or without an id the same task, inputs, output, score, source and metadata)` : ""}.
`
        );
      return 0;
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  }
};
function contentId(task, input) {
  const { inputs, output, score, source, metadata } = input;
  return v5_default(canonicalJson({ task, inputs, output, score, source, metadata }), IMPORT_NAMESPACE);
}
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  return JSON.stringify(value ?? null);
}
function report(io, problems, total, json) {
  if (json) {
    io.stdout.write(`${JSON.stringify({ imported: 0, problems }, null, 2)}
`);
    return;
  }
  const paint = painter(io);
  const lines = new Set(problems.map((p) => p.line)).size;
  for (const p of problems.slice(0, MAX_ERRORS_SHOWN))
    io.stderr.write(`line ${p.line}: ${p.field}: ${p.message}
`);
  if (problems.length > MAX_ERRORS_SHOWN)
    io.stderr.write(`\u2026 and ${problems.length - MAX_ERRORS_SHOWN} more problem(s)
`);
  io.stderr.write(
    `${paint("red", "error:")} ${lines} of ${total} line(s) are invalid; nothing was imported. Fix them and run the import again.
`
  );
}
async function* readEntries(file, format) {
  if (format === "jsonl") {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === "") continue;
      try {
        yield { line, raw: JSON.parse(text) };
      } catch (error) {
        yield { line, raw: null, error: `not valid JSON: ${error.message}` };
      }
    }
    return;
  }
  let header = null;
  for (const { line, fields } of csvRows(await readFile(file, "utf8"))) {
    if (!header) {
      header = fields.map((f) => f.trim());
      continue;
    }
    const row = {};
    let error;
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
    yield { line, raw: row, ...error ? { error } : {} };
  }
}

export {
  feedbackCommand
};
