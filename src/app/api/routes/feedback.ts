/** /feedback: log one entry or a batch (all or nothing), and list a task's feedback. */
import type { z } from "zod";
import { taskId } from "../../../core/ids.js";
import { FeedbackInput, FeedbackResult } from "../../../core/records.js";
import type { TaskConfig } from "../../../core/task-config-schema.js";
import type { RepoContext } from "../../repo-context.js";
import { listTaskConfigs, resolveTask } from "../../tasks.js";
import type { ApiRouter } from "../context.js";
import { entryId, keyClaim, refuseChangedReplay, replayedHeader } from "../entry-ids.js";
import { HttpError } from "../http.js";
import { fieldErrors, intQuery, parseWith, type FieldError } from "../validation.js";

export const MAX_BATCH = 1_000;

/** Validated input → the record to store; the task is named by id or name. */
function toRecord(
  repo: RepoContext,
  task: TaskConfig,
  input: z.infer<typeof FeedbackInput>,
  id: string,
  now: Date,
): FeedbackResult {
  return FeedbackResult.parse({
    ...input,
    id,
    task_id: taskId(repo.repoKey, task.name),
    created_at: now.toISOString(),
  });
}

export function registerFeedbackRoutes(router: ApiRouter): void {
  router.add(
    "POST",
    "/api/v1/feedback",
    async (req, { repo, key }) => {
      const input = parseWith(FeedbackInput, await req.json());
      const task = await resolveTask(repo, input.task_id);
      const sent = toRecord(repo, task, input, entryId(req, key.id, input.id, 0), new Date());
      const result = await repo.ingestion.addFeedback(
        task.name,
        [sent],
        task.feedback_retention_limit,
        task.canary,
      );
      // One entry's key-derived id pins its position; another body for the same task is caught
      // by the stored entry. No claim: it halved keyed single-entry ingestion (decisions.md).
      if (!input.id) refuseChangedReplay(req, [[sent, result.records[0]!]]);
      return { status: 201, body: result.records[0], headers: replayedHeader(req, result.added) };
    },
    { idempotentByIds: true },
  );

  router.add(
    "POST",
    "/api/v1/feedback/batch",
    async (req, { repo, key }) => {
      const body = await req.json();
      const entries = Array.isArray(body) ? body : (body as { feedback?: unknown } | undefined)?.feedback;
      if (!Array.isArray(entries))
        throw new HttpError(422, [
          {
            loc: ["body", "feedback"],
            msg: "expected a list of feedback entries (or a bare JSON list)",
            type: "list_type",
          },
        ]);
      if (entries.length === 0 || entries.length > MAX_BATCH)
        throw new HttpError(422, [
          {
            loc: ["body", "feedback"],
            msg: `a batch holds 1 to ${MAX_BATCH} entries, got ${entries.length}`,
            type: "too_long",
          },
        ]);
      // Validate every entry before storing any: the error lists each bad entry's index and field.
      const tasks = await listTaskConfigs(repo);
      const errors: FieldError[] = [];
      const valid: { task: TaskConfig; input: z.infer<typeof FeedbackInput>; index: number }[] = [];
      entries.forEach((entry, index) => {
        const parsed = FeedbackInput.safeParse(entry);
        if (!parsed.success)
          return void errors.push(...fieldErrors(parsed.error, entry, ["body", "feedback", index]));
        const task = tasks.find(
          (t) => t.name === parsed.data.task_id || taskId(repo.repoKey, t.name) === parsed.data.task_id,
        );
        if (!task)
          return void errors.push({
            loc: ["body", "feedback", index, "task_id"],
            msg: `task ${parsed.data.task_id} not found`,
            type: "value_error",
          });
        valid.push({ task, input: parsed.data, index });
      });
      if (errors.length > 0) throw new HttpError(422, errors);
      const now = new Date();
      const byTask = new Map<string, { task: TaskConfig; records: FeedbackResult[] }>();
      const derived = new Set<string>();
      for (const { task, input, index } of valid) {
        const group = byTask.get(task.name) ?? { task, records: [] };
        const record = toRecord(
          repo,
          task,
          input,
          entryId(req, key.id, input.id, index, entries.length),
          now,
        );
        if (!input.id) derived.add(record.id);
        group.records.push(record);
        byTask.set(task.name, group);
      }
      const claim = keyClaim(req, key.id, body);
      const results = await Promise.all(
        [...byTask.values()].map((g) =>
          repo.ingestion.addFeedback(
            g.task.name,
            g.records,
            g.task.feedback_retention_limit,
            g.task.canary,
            claim,
          ),
        ),
      );
      const stored = new Map(results.flatMap((r) => r.records.map((rec) => [rec.id, rec] as const)));
      const sent = [...byTask.values()].flatMap((g) => g.records);
      const records = sent.map((r) => stored.get(r.id) ?? r);
      refuseChangedReplay(
        req,
        sent.flatMap((r, i) => (derived.has(r.id) ? [[r, records[i]!] as [object, object]] : [])),
      );
      const added = results.reduce((s, r) => s + r.added, 0);
      return {
        status: 201,
        body: { feedback: records, added, duplicates: results.reduce((s, r) => s + r.duplicates, 0) },
        headers: replayedHeader(req, added),
      };
    },
    { idempotentByIds: true },
  );

  router.add("GET", "/api/v1/tasks/{task}/feedback", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const limit = intQuery(req.query, "limit", 50, 1, 200);
    const offset = intQuery(req.query, "offset", 0, 0, 10_000_000);
    // Newest first, from the offset (segments before it passed over by their counts), stopping
    // at the end of the page: a page reads the segment or two it returns, however deep it is.
    const page: FeedbackResult[] = [];
    for await (const record of repo.store.readFeedback(task.name, { newestFirst: true, skip: offset })) {
      page.push(record);
      if (page.length === limit) break;
    }
    return { status: 200, body: page };
  });
}
