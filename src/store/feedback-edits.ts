/**
 * Taking feedback back: the record of what an import added, and the deletion of entries by
 * import, by date or by id. A deletion is one commit on the data branch whose message says what
 * it removed, so it can itself be read (and reverted) with git.
 */
import { z } from "zod";
import { FeedbackResult, Id, Timestamp } from "../core/records.js";
import { layout } from "./layout.js";
import { jsonlLines } from "./segments.js";
import { TaskState, type DataTransaction, type Store } from "./store.js";

/** What one `kaizen feedback import` added to one task. */
export const FeedbackImport = z.object({
  id: Id,
  task: z.string(),
  /** The file imported, as given on the command line (`-` for standard input). */
  source: z.string(),
  created_at: Timestamp,
  /** The entries this import stored (not the lines that were already stored). */
  feedback_ids: z.array(z.string()),
});
export type FeedbackImport = z.infer<typeof FeedbackImport>;

/** Records an import, in a commit that names it. */
export async function recordImport(store: Store, record: FeedbackImport): Promise<void> {
  await store.transact(
    `Record import ${record.id} of ${record.task}: ${record.feedback_ids.length} feedback entries from ${record.source}`,
    (tx) => tx.writeJson(layout.feedbackImport(record.task, record.id), FeedbackImport, record),
  );
}

/** Which entries to delete; every given criterion must hold. */
export interface FeedbackSelection {
  importId?: string;
  /** Entries created strictly before this instant. */
  before?: Date;
  ids?: readonly string[];
}

/** The selection in words, for the commit message and the CLI. */
export function describeSelection(selection: FeedbackSelection): string {
  const parts: string[] = [];
  if (selection.importId) parts.push(`of import ${selection.importId}`);
  if (selection.before) parts.push(`created before ${selection.before.toISOString()}`);
  if (selection.ids) parts.push(`with id ${selection.ids.join(", ")}`);
  return parts.join(", ");
}

export interface DeleteResult {
  removed: FeedbackResult[];
  /** Set when `importId` names no import of the task. */
  unknownImport?: boolean;
}

/**
 * Deletes a task's feedback entries matching `selection`, in one commit whose message counts
 * them and says which. The segments that hold them are rewritten (or dropped when emptied) and
 * the task's counters follow; `feedback_total` stays the number ever stored.
 */
export function deleteFeedback(
  store: Store,
  task: string,
  selection: FeedbackSelection,
): Promise<DeleteResult> {
  const what = describeSelection(selection);
  return store.transact(
    (result) =>
      `Delete ${result.removed.length} feedback entr${result.removed.length === 1 ? "y" : "ies"} of ${task} ${what}` +
      (result.removed.length > 0 && result.removed.length <= 20
        ? `\n\nRemoved: ${result.removed.map((r) => r.id).join(", ")}`
        : ""),
    async (tx) => {
      let importIds: Set<string> | null = null;
      if (selection.importId) {
        const record = await tx.readJson(layout.feedbackImport(task, selection.importId), FeedbackImport);
        if (!record) return { removed: [], unknownImport: true };
        importIds = new Set(record.feedback_ids);
      }
      const ids = selection.ids ? new Set(selection.ids) : null;
      const before = selection.before?.getTime();
      const matches = (entry: FeedbackResult) =>
        (importIds === null || importIds.has(entry.id)) &&
        (ids === null || ids.has(entry.id)) &&
        (before === undefined || Date.parse(entry.created_at) < before);
      return { removed: await rewriteSegments(tx, task, matches) };
    },
  );
}

async function rewriteSegments(
  tx: DataTransaction,
  task: string,
  matches: (entry: FeedbackResult) => boolean,
): Promise<FeedbackResult[]> {
  const removed: FeedbackResult[] = [];
  const state = await tx.readJson(layout.state(task), TaskState);
  if (!state) return removed;
  for (const path of await tx.list(layout.logDir("feedback", task))) {
    const lines = jsonlLines((await tx.read(path)) ?? "");
    const kept: string[] = [];
    for (const line of lines) {
      const entry = FeedbackResult.parse(JSON.parse(line));
      if (matches(entry)) removed.push(entry);
      else kept.push(line);
    }
    if (kept.length === lines.length) continue;
    const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.jsonl$/, "");
    if (kept.length === 0) {
      tx.delete(path);
      delete state.feedback_segments[name];
      delete state.feedback_id_ranges[name];
    } else {
      // Its id range still holds every id left in it: kept as is.
      tx.write(path, `${kept.join("\n")}\n`);
      state.feedback_segments[name] = kept.length;
    }
  }
  if (removed.length === 0) return removed;
  // Entries stored since the last optimization count toward the next trigger; removing them
  // takes them back from that count too.
  const sinceLast = removed.filter(
    (e) => state.last_optimization === null || Date.parse(e.created_at) > Date.parse(state.last_optimization),
  ).length;
  state.feedback_since_optimization = Math.max(0, state.feedback_since_optimization - sinceLast);
  state.feedback_retained = Object.values(state.feedback_segments).reduce((a, b) => a + b, 0);
  tx.writeJson(layout.state(task), TaskState, state);
  return removed;
}
