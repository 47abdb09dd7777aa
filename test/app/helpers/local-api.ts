/** A `kaizen serve` on a fresh sample repository, and a small client for tests. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer, type LocalServer, type LocalServerOptions } from "../../../src/app/local.js";
import { DEMO_FILES } from "../../../src/cli/commands/serve.js";
import { initRepository } from "../../../src/store/local-git-store.js";
import { MIN_USABLE } from "../../../src/optimizer/dataset.js";

export interface TestApi {
  server: LocalServer;
  dir: string;
  // Response bodies are whatever JSON the route returns; tests assert on their fields.
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export const EXTRA_TASK = {
  ".kaizen/tasks/classify.yml": "name: classify\nfeedback_threshold: 3\nprompt_path: prompts/classify.txt\n",
  "prompts/classify.txt": "Classify: {{text}}\n",
};

export async function startTestApi(
  options: Partial<LocalServerOptions> = {},
  files: Record<string, string> = {},
  /** Adds to the work tree what plain text files cannot say (a symlink); committed with them. */
  prepare?: (dir: string) => Promise<void>,
): Promise<TestApi> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-api-"));
  await initRepository(dir, { ...DEMO_FILES, ...EXTRA_TASK, ...files }, prepare);
  const server = await startLocalServer({ repoDir: dir, port: 0, ...options });
  return {
    server,
    dir,
    async call(method, route, body, headers = {}) {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: {
          "x-api-key": server.apiKey,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Plain text (metrics).
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Logs the fewest usable feedback entries (a score, inputs, an output) a job needs, so an
 * optimize request can create one; `input` is the task's placeholder.
 */
export async function logUsableFeedback(
  api: TestApi,
  task: string,
  input = "ticket",
  count = MIN_USABLE,
): Promise<void> {
  const entries = Array.from({ length: count }, (_, i) => ({
    task_id: task,
    inputs: { [input]: `case ${i}` },
    output: `answer ${i}`,
    score: i % 2,
  }));
  const stored = await api.call("POST", "/api/v1/feedback/batch", entries);
  if (stored.status !== 201 && stored.status !== 200)
    throw new Error(`logging feedback answered ${stored.status}: ${JSON.stringify(stored.body)}`);
}
