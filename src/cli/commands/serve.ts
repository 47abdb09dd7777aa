/**
 * `kaizen serve`: Kaizen's HTTP API on a local git repository, the embedded default. With
 * `--demo`, on a fresh sample repository with one task, so a new user can try the API at once.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../../app/local.js";
import { defaultCacheDir } from "../../optimizer/llm/cache.js";
import { endpointFromEnv, retryFromEnv } from "../../optimizer/llm/gateway.js";
import { localJobRunner } from "../../app/local-worker.js";
import { timingFromEnv } from "../../jobs/index.js";
import { initRepository } from "../../store/local-git-store.js";
import { loadTasks, type RepoTasks } from "../../store/tasks.js";
import { placeholders, readPrompt, detectPromptFormat } from "../../render/index.js";
import { numberOption, parseCommandArgs, type Command } from "../command.js";
import { painter } from "../output.js";

export const DEMO_FILES: Readonly<Record<string, string>> = {
  ".kaizen/tasks/summarize_ticket.yml": [
    "name: summarize_ticket",
    "description: Summarize a customer support ticket in one sentence for the on-call engineer.",
    "prompt_path: prompts/summarize_ticket.md",
    "prompt_format: markdown",
    "feedback_threshold: 50",
    "cost_budget: 1.00",
    "",
  ].join("\n"),
  "prompts/summarize_ticket.md":
    "You are a support engineer. Summarize the ticket below in one sentence.\n\nTicket:\n{{ticket}}\n",
};

export const serveCommand: Command = {
  usage: `Usage: kaizen serve [--repo DIR] [--port 8000] [--host 127.0.0.1] [--demo]

Serves the Kaizen API (/api/v1: tasks, feedback, prompts, jobs, traces, keys) over a local git
repository: task files are read from its default branch, everything else is committed to its
kaizen/data branch. The API key is your own KAIZEN_API_KEY when set (any string; the SDK reads
the same variable; only its hash is stored), else one is generated and printed once.

Options:
  --repo DIR   the repository (default: the current directory)
  --port N     the port (default 8000; 0 picks a free one)
  --host H     the address to listen on (default 127.0.0.1)
  --demo       serve a new sample repository with a task "summarize_ticket"

Example:
  kaizen serve --demo
  KAIZEN_API_KEY=$(openssl rand -hex 24) kaizen serve --repo ~/src/support-bot --port 8080`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      repo: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      demo: { type: "boolean" },
    });
    const port = numberOption("port", values.port, 8000, 0, 65535);
    let repoDir = path.resolve(io.cwd, values.repo ?? ".");
    if (values.demo) {
      repoDir = values.repo ? repoDir : await mkdtemp(path.join(tmpdir(), "kaizen-demo-"));
      await initRepository(repoDir, DEMO_FILES);
    }
    const paint = painter(io);
    // With a model endpoint, optimization jobs run here; without one they wait, visibly PENDING.
    const runJob = io.env.OPENAI_API_KEY
      ? localJobRunner(endpointFromEnv(io.env), defaultCacheDir(io.env), {
          timing: timingFromEnv(io.env),
          retry: retryFromEnv(io.env),
        })
      : null;
    const server = await startLocalServer({
      repoDir,
      port,
      host: values.host ?? "127.0.0.1",
      apiKey: io.env.KAIZEN_API_KEY,
      runJob,
      log: (message) => io.stderr.write(`${message}\n`),
    });
    if (!runJob)
      io.stdout.write(
        `${paint("yellow", "Note:")} OPENAI_API_KEY is not set, so optimization jobs stay PENDING (set it, and OPENAI_BASE_URL for another server, to run them here).\n`,
      );
    io.stdout.write(`Kaizen is serving ${paint("bold", repoDir)} at ${paint("bold", server.url)}\n`);
    if (server.generatedKey)
      io.stdout.write(
        `API key (shown once; set KAIZEN_API_KEY to reuse a key): ${paint("green", server.apiKey)}\n`,
      );
    if (server.keyWarning) io.stderr.write(`${paint("yellow", "Warning:")} ${server.keyWarning}\n`);
    const lines = await tryIt(
      server.url,
      server.generatedKey ? server.apiKey : null,
      await loadTasks(server.repo.store),
      (file) => server.repo.store.readRepoFile(file),
    );
    io.stdout.write(`\nTry it:\n${lines}\nPress Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    io.stdout.write("Stopping: committing what is queued…\n");
    await server.close();
    return 0;
  },
};

/**
 * The "try it" lines: the repository's own tasks, and a feedback entry for the first of them
 * whose inputs are its prompt's placeholders, so each line works as it is pasted.
 */
export async function tryIt(
  url: string,
  generatedKey: string | null,
  { tasks }: RepoTasks,
  readFile: (path: string) => Promise<string | null>,
): Promise<string> {
  const lines = [
    generatedKey
      ? `  export KAIZEN_API_KEY=${generatedKey}`
      : "  # KAIZEN_API_KEY: the key you set for this server",
    `  curl -H "X-API-Key: $KAIZEN_API_KEY" ${url}/api/v1/tasks`,
  ];
  const task = tasks[0];
  if (!task) {
    lines.push("  (no task yet: add one with kaizen init, and it appears in /api/v1/tasks)");
    return `${lines.join("\n")}\n`;
  }
  const text = task.prompt_path ? await readFile(task.prompt_path) : null;
  const slots =
    text && task.prompt_path
      ? placeholders(readPrompt(text, task.prompt_format ?? detectPromptFormat(task.prompt_path, text)))
      : [];
  const inputs = Object.fromEntries((slots.length ? slots : ["input"]).map((s) => [s, "…"]));
  const entry = JSON.stringify({ task_id: task.name, inputs, output: "…", score: 0.9 });
  lines.push(
    `  curl -H "X-API-Key: $KAIZEN_API_KEY" -H "content-type: application/json" -d '${entry}' ${url}/api/v1/feedback`,
    `  curl -H "X-API-Key: $KAIZEN_API_KEY" ${url}/api/v1/tasks/${task.name}/prompt`,
  );
  return `${lines.join("\n")}\n`;
}
