/** /traces: record LLM calls (single or batch); scoring one turns it into feedback of its task. */
import { v5 as uuidv5 } from "uuid";
import { z } from "zod";
import { taskId } from "../../../core/ids.js";
import { FeedbackResult, Score, TraceInput, TraceResult } from "../../../core/records.js";
import type { TaskConfig } from "../../../core/task-config-schema.js";
import { listTaskConfigs, resolveTask } from "../../tasks.js";
import type { ApiRouter } from "../context.js";
import { entryId, keyClaim, refuseChangedReplay, replayedHeader } from "../entry-ids.js";
import { HttpError } from "../http.js";
import { fieldErrors, parseWith, type FieldError } from "../validation.js";

const ScoreInput = z.object({ score: Score, scored_by: z.string().max(200).default("sdk") });

/** The feedback id of a scored trace: derived from the trace, so scoring twice stores it once. */
const SCORE_NAMESPACE = "0c8e2f6a-9d1b-5c47-8e3a-2b6f4d1c9a70";

export function registerTraceRoutes(router: ApiRouter): void {
  router.add(
    "POST",
    "/api/v1/traces",
    async (req, { repo, key }) => {
      const body = await req.json();
      const batch = Array.isArray(body) ? body : (body as { traces?: unknown } | undefined)?.traces;
      const entries = Array.isArray(batch) ? batch : [body];
      const tasks = await listTaskConfigs(repo);
      const errors: FieldError[] = [];
      const byTask = new Map<string, { task: TaskConfig; records: TraceResult[] }>();
      const derived = new Set<string>();
      const now = new Date().toISOString();
      entries.forEach((entry, index) => {
        const at = Array.isArray(batch) ? ["body", "traces", index] : ["body"];
        const parsed = TraceInput.safeParse(entry);
        if (!parsed.success) return void errors.push(...fieldErrors(parsed.error, entry, at));
        const task = tasks.find(
          (t) => t.name === parsed.data.task_id || taskId(repo.repoKey, t.name) === parsed.data.task_id,
        );
        if (!task)
          return void errors.push({
            loc: [...at, "task_id"],
            msg: `task ${parsed.data.task_id} not found`,
            type: "value_error",
          });
        const group = byTask.get(task.name) ?? { task, records: [] };
        const record = TraceResult.parse({
          ...parsed.data,
          id: entryId(req, key.id, parsed.data.id, index, entries.length),
          task_id: taskId(repo.repoKey, task.name),
          created_at: now,
        });
        if (!parsed.data.id) derived.add(record.id);
        group.records.push(record);
        byTask.set(task.name, group);
      });
      if (errors.length > 0) throw new HttpError(422, errors);
      // A batch's ids depend on its length: a claim tells another length (or task) under the key.
      const claim = Array.isArray(batch) ? keyClaim(req, key.id, body) : null;
      const results = await Promise.all(
        // Traces are kept like feedback: the newest feedback_retention_limit of a task.
        [...byTask.values()].map((g) =>
          repo.ingestion.addTraces(g.task.name, g.records, g.task.feedback_retention_limit, claim),
        ),
      );
      const records = results.flatMap((r) => r.records);
      const sent = [...byTask.values()].flatMap((g) => g.records);
      refuseChangedReplay(
        req,
        sent.flatMap((r, i) => (derived.has(r.id) ? [[r, records[i]!] as [object, object]] : [])),
      );
      const headers = replayedHeader(
        req,
        results.reduce((s, r) => s + r.added, 0),
      );
      return { status: 201, body: Array.isArray(batch) ? { traces: records } : records[0], headers };
    },
    { idempotentByIds: true },
  );

  router.add(
    "POST",
    "/api/v1/traces/{trace_id}/score",
    async (req, { repo }) => {
      const input = parseWith(ScoreInput, await req.json());
      const traceId = req.params.trace_id!;
      const found = await repo.store.findTrace(traceId);
      if (!found) throw new HttpError(404, `trace ${traceId} not found`);
      const { trace } = found;
      const task = await resolveTask(repo, found.task);
      const feedback = FeedbackResult.parse({
        id: uuidv5(traceId, SCORE_NAMESPACE),
        task_id: trace.task_id,
        inputs: { prompt: trace.prompt_text },
        output: trace.response_text,
        score: input.score,
        source: input.scored_by,
        metadata: {
          trace_id: trace.id,
          model: trace.model,
          source_file: trace.source_file,
          source_line: trace.source_line,
        },
        prompt_version_id: trace.prompt_version_id ?? null,
        created_at: new Date().toISOString(),
      });
      await repo.ingestion.addFeedback(task.name, [feedback], task.feedback_retention_limit, task.canary);
      return { status: 200, body: { ...trace, score: input.score, scored_by: input.scored_by } };
    },
    // The feedback's id derives from the trace's: a repeat stores nothing twice, and needs no
    // idempotency record (an extra commit, and a file kept for a day) of its own.
    { idempotentByIds: true },
  );
}
