/**
 * `npm run bench -- task-listing [--tasks 2000] [--seconds 10]`: `GET /api/v1/tasks` on a
 * repository with `--tasks` task files, a page of 200 at a time, while two clients walk every page
 * in a loop and a third logs feedback, for `--seconds`. Prints the time of the first (cold) page,
 * page and feedback latencies under that load, and the process's RSS before and at its peak.
 * Issue #20 measured, with 10,000 tasks and no paging: 2.7–4.8 s a call for 5.5 MB, feedback p50
 * from 92 ms to 6.3 s, RSS from 0.34 to 2.26 GB in 10 minutes. The client shares the server's
 * process, so its own HTTP work is in every latency and in the RSS.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../src/app/local.js";
import { initRepository } from "../src/store/local-git-store.js";
import { figure, numberFlag, peakRss, progress, quantile } from "./report.js";

export async function run(args: string[]): Promise<void> {
  const count = numberFlag(args, "tasks", 2_000);
  const seconds = numberFlag(args, "seconds", 10);
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-tasks-"));
  try {
    progress(`committing ${count} task files…`);
    const files: Record<string, string> = { "prompts/shared.md": "Summarize: {{ticket}}\n" };
    for (let i = 0; i < count; i++)
      files[`.kaizen/tasks/task-${String(i).padStart(5, "0")}.yml`] =
        `name: task-${String(i).padStart(5, "0")}\ndescription: Summarize support ticket number ${i} for the on-call engineer\nfeedback_threshold: 1000000\nprompt_path: prompts/shared.md\n`;
    await initRepository(dir, files);
    const server = await startLocalServer({ repoDir: dir, port: 0 });
    const call = async (method: string, route: string, body?: unknown) => {
      const t0 = performance.now();
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { "x-api-key": server.apiKey, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return {
        ms: performance.now() - t0,
        bytes: text.length,
        items: (JSON.parse(text) as unknown[]).length,
      };
    };
    try {
      const cold = await call("GET", "/api/v1/tasks?limit=200");
      figure("tasks_listing_tasks", count);
      figure("tasks_first_page_ms", cold.ms);
      figure("tasks_page_bytes", cold.bytes);
      const rssBefore = process.memoryUsage().rss / 1024 / 1024;
      const until = Date.now() + seconds * 1_000;
      const pages: number[] = [];
      const writes: number[] = [];
      const walker = async () => {
        while (Date.now() < until)
          for (let offset = 0; offset < count && Date.now() < until; offset += 200)
            pages.push((await call("GET", `/api/v1/tasks?limit=200&offset=${offset}`)).ms);
      };
      const writer = async () => {
        for (let i = 0; Date.now() < until; i++) {
          const t0 = performance.now();
          const response = await fetch(`${server.url}/api/v1/feedback`, {
            method: "POST",
            headers: { "x-api-key": server.apiKey, "content-type": "application/json" },
            body: JSON.stringify({ task_id: "task-00000", inputs: { ticket: `t${i}` }, score: 1 }),
          });
          await response.text();
          if (response.status !== 201) throw new Error(`POST /feedback: ${response.status}`);
          writes.push(performance.now() - t0);
        }
      };
      progress(`two clients walking every page, one logging feedback, for ${seconds} s…`);
      const { peakMb } = await peakRss(() => Promise.all([walker(), walker(), writer()]));
      figure("tasks_page_requests", pages.length);
      figure("tasks_page_p50_ms", quantile(pages, 0.5));
      figure("tasks_page_p95_ms", quantile(pages, 0.95));
      figure("tasks_feedback_writes", writes.length);
      figure("tasks_feedback_p50_ms", quantile(writes, 0.5));
      figure("tasks_rss_before_mb", rssBefore);
      figure("tasks_rss_peak_mb", peakMb);
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
