/**
 * A `kaizen serve` (src, through tsx) in a process of its own that records every module of
 * gpt-tokenizer its main thread loads: it answers one optimize request with an estimate, then
 * prints `{ status, estimate, tokenizerModules }` as JSON and exits. Used by lean-serve.test.ts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { registerHooks } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { isMainThread } from "node:worker_threads";

const tokenizerModules: string[] = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (isMainThread && resolved.url.includes("gpt-tokenizer")) tokenizerModules.push(resolved.url);
    return resolved;
  },
});

const { startLocalServer } = await import("../../../src/app/local.js");
const { DEMO_FILES } = await import("../../../src/cli/commands/serve.js");
const { initRepository } = await import("../../../src/store/local-git-store.js");
const { MIN_USABLE } = await import("../../../src/optimizer/dataset.js");

const dir = await mkdtemp(path.join(tmpdir(), "kaizen-lean-"));
await initRepository(dir, DEMO_FILES);
const server = await startLocalServer({ repoDir: dir, port: 0 });
const call = async (route: string, body?: unknown) => {
  const response = await fetch(`${server.url}${route}`, {
    method: "POST",
    headers: { "x-api-key": server.apiKey, "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
await call("/api/v1/feedback/batch", {
  feedback: Array.from({ length: MIN_USABLE }, (_, n) => ({
    task_id: "summarize_ticket",
    inputs: { ticket: `ticket ${n}: the export to CSV times out after 30 seconds` },
    output: `The CSV export times out (${n}).`,
    score: n % 3 === 0 ? 0.2 : 0.9,
  })),
});
const optimized = await call("/api/v1/tasks/summarize_ticket/optimize");
await server.close();
await rm(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    status: optimized.status,
    estimate: optimized.body.cost_estimate ?? null,
    tokenizerModules,
  }),
);
