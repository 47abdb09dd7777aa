/**
 * `kaizen serve`: Kaizen's HTTP API on a local git repository, the embedded default. With
 * `--demo`, on a fresh sample repository with one task, so a new user can try the API at once.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../../app/local.js";
import { defaultCacheDir } from "../../optimizer/llm/cache.js";
import { endpointFromEnv } from "../../optimizer/llm/gateway.js";
import { localJobRunner } from "../../app/local-worker.js";
import { timingFromEnv } from "../../jobs/index.js";
import { initRepository } from "../../store/local-git-store.js";
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
  name: "serve",
  summary: "run Kaizen's HTTP API on a local git repository (no GitHub account needed)",
  usage: `Usage: kaizen serve [--repo DIR] [--port 8000] [--host 127.0.0.1] [--demo]

Serves the Kaizen API (/api/v1: tasks, feedback, prompts, jobs, traces, keys) over a local git
repository: task files are read from its default branch, everything else is committed to its
kaizen/data branch. The API key is KAIZEN_API_KEY when set, else generated and printed once.

Options:
  --repo DIR   the repository (default: the current directory)
  --port N     the port (default 8000; 0 picks a free one)
  --host H     the address to listen on (default 127.0.0.1)
  --demo       serve a new sample repository with a task "summarize_ticket"

Example:
  kaizen serve --demo
  KAIZEN_API_KEY=kz_local_... kaizen serve --repo ~/src/support-bot --port 8080`,
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
      ? localJobRunner(endpointFromEnv(io.env), defaultCacheDir(io.env), { timing: timingFromEnv(io.env) })
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
    io.stdout.write(
      `\nTry it:\n  export KEY=${server.generatedKey ? server.apiKey : "$KAIZEN_API_KEY"}\n  curl -H "X-API-Key: $KEY" ${server.url}/api/v1/tasks\n  curl -H "X-API-Key: $KEY" -H "content-type: application/json" -d '{"task_id":"summarize_ticket","inputs":{"ticket":"Login fails"},"output":"User cannot log in.","score":0.9}' ${server.url}/api/v1/feedback\n\nPress Ctrl-C to stop.\n`,
    );
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
