/**
 * `npm run bench -- api-hardening [--entries 50000] [--requests 500]`: a task with 50,000 feedback
 * entries and 500 concurrent `POST optimize` (one may start a job, the rest must be refused
 * cheaply), with a plain `GET /tasks` timed beside them and idle; a page of feedback and a trace
 * score on that data; the process's RSS before and at its peak; and the largest directory of
 * the data branch a single request lists (entries; on this tiny branch only: `npm run bench --
 * data-branch` measures it on a large one). The same load is then sent again on a second task,
 * on a warm process (`hardening_warm_*`: its code compiled, the bench's 500 connections open).
 * Issue #11 measured, before: optimize p50 19 s, GET /tasks 21 s under that load, RSS 150 → 450 MB.
 * The bench's client shares the server's process, so its own HTTP work is in every latency.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../src/app/local.js";
import { newId, taskId } from "../src/core/ids.js";
import { DATA_BRANCH } from "../src/store/layout.js";
import { initRepository, LocalGitStore } from "../src/store/local-git-store.js";
import { figure, numberFlag, peakRss, progress, quantile } from "./report.js";

export async function run(args: string[]): Promise<void> {
  const entries = numberFlag(args, "entries", 50_000);
  const requests = numberFlag(args, "requests", 500);
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-hardening-"));
  try {
    await initRepository(dir, {
      ".kaizen/tasks/busy.yml": `name: busy\nfeedback_threshold: 10000000\nfeedback_retention_limit: ${entries}\nprompt_path: prompts/busy.md\n`,
      ".kaizen/tasks/warm.yml": `name: warm\nfeedback_threshold: 10000000\nfeedback_retention_limit: ${entries}\nprompt_path: prompts/busy.md\n`,
      "prompts/busy.md": "Summarize: {{ticket}}\n",
    });
    const store = await LocalGitStore.open(dir);
    for (const task of ["busy", "warm"]) {
      progress(`storing ${entries} feedback entries of ${task}…`);
      for (let done = 0; done < entries; done += 5_000) {
        const batch = Array.from({ length: Math.min(5_000, entries - done) }, (_, i) => ({
          id: newId(),
          task_id: taskId("local", task),
          inputs: { ticket: `ticket ${done + i}: the login page fails after the update` },
          output: "The user cannot log in.",
          score: (i % 10) / 10,
          source: "bench",
          metadata: null,
          created_at: new Date().toISOString(),
        }));
        await store.appendFeedback(task, batch, { retentionLimit: entries });
      }
    }
    const server = await startLocalServer({ repoDir: dir, port: 0 });
    const call = async (method: string, route: string, body?: unknown) => {
      const t0 = performance.now();
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { "x-api-key": server.apiKey, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      await response.text();
      return { status: response.status, ms: performance.now() - t0 };
    };
    try {
      const idle = await call("GET", "/api/v1/tasks");
      const rssBefore = process.memoryUsage().rss / 1024 / 1024;
      progress(`${requests} concurrent POST optimize…`);
      const { result, peakMb } = await peakRss(async () => {
        const optimize = Array.from({ length: requests }, () => call("POST", "/api/v1/tasks/busy/optimize"));
        const beside = call("GET", "/api/v1/tasks");
        return { answers: await Promise.all(optimize), beside: await beside };
      });
      const latencies = result.answers.map((a) => a.ms);
      // The request that started the job made the one attempt (the others are refused at once).
      figure("hardening_optimize_202_ms", result.answers.find((a) => a.status === 202)?.ms ?? 0);
      figure("hardening_optimize_requests", requests);
      figure("hardening_optimize_202", result.answers.filter((a) => a.status === 202).length);
      figure("hardening_optimize_409", result.answers.filter((a) => a.status === 409).length);
      figure("hardening_optimize_5xx", result.answers.filter((a) => a.status >= 500).length);
      figure("hardening_optimize_p50_ms", quantile(latencies, 0.5));
      figure("hardening_optimize_p95_ms", quantile(latencies, 0.95));
      // Refuse first: how soon the first refusal came back, while the one attempt was still under way.
      figure(
        "hardening_optimize_first_409_ms",
        Math.min(...result.answers.filter((a) => a.status === 409).map((a) => a.ms)),
      );
      figure("hardening_get_tasks_idle_ms", idle.ms);
      figure("hardening_get_tasks_under_load_ms", result.beside.ms);
      figure("hardening_rss_before_mb", rssBefore);
      figure("hardening_rss_peak_mb", peakMb);

      const page = await call("GET", "/api/v1/tasks/busy/feedback?limit=50");
      figure("hardening_feedback_page_ms", page.ms);
      const trace = await fetch(`${server.url}/api/v1/traces`, {
        method: "POST",
        headers: { "x-api-key": server.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ task_id: "busy", prompt_text: "p", response_text: "r", model: "m" }),
      }).then((r) => r.json() as Promise<{ id: string }>);
      const score = await call("POST", `/api/v1/traces/${trace.id}/score`, { score: 1 });
      figure("hardening_trace_score_ms", score.ms);

      // The same load again on another task of the same size, on a warm process. (Until the
      // tokenizer was built at module load, the first estimate of a process built o200k_base's
      // tables inside the cold round: seconds of synchronous work every request waited behind.)
      progress(`${requests} concurrent POST optimize on a warm process…`);
      const warm = await (async () => {
        const optimize = Array.from({ length: requests }, () => call("POST", "/api/v1/tasks/warm/optimize"));
        const beside = call("GET", "/api/v1/tasks");
        return { answers: await Promise.all(optimize), beside: await beside };
      })();
      const warmLatencies = warm.answers.map((a) => a.ms);
      figure("hardening_warm_optimize_202", warm.answers.filter((a) => a.status === 202).length);
      figure("hardening_warm_optimize_409", warm.answers.filter((a) => a.status === 409).length);
      figure("hardening_warm_optimize_5xx", warm.answers.filter((a) => a.status >= 500).length);
      figure("hardening_warm_optimize_202_ms", warm.answers.find((a) => a.status === 202)?.ms ?? 0);
      figure("hardening_warm_optimize_p50_ms", quantile(warmLatencies, 0.5));
      figure("hardening_warm_optimize_p95_ms", quantile(warmLatencies, 0.95));
      figure("hardening_warm_get_tasks_under_load_ms", warm.beside.ms);

      // The largest directory a request lists: each request lists the directories it touches.
      const head = await store.backend.head(DATA_BRANCH);
      const files = head ? [...(await store.backend.listFiles(head, "")).keys()] : [];
      const dirs = new Map<string, number>();
      for (const file of files) {
        const parts = file.split("/");
        for (let depth = 1; depth < parts.length; depth++) {
          const d = parts.slice(0, depth).join("/");
          dirs.set(d, (dirs.get(d) ?? 0) + 1);
        }
      }
      const [largest, count] = [...dirs].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
      figure("hardening_data_branch_files", files.length);
      figure("hardening_largest_listing_entries", count);
      figure("hardening_largest_listing_dir", largest);
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
