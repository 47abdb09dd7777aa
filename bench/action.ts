/**
 * `npm run bench -- action`: one complete run of the built Action (dist/action/index.js, as
 * GitHub runs it) against the fake GitHub and the fake model with a fixed latency: GitHub
 * requests by kind, the bundle's size, the cold start (process start to first log line), and
 * the run's wall time.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareOneRun } from "../test/action/helpers/one-run.js";
import { FakeGitHub } from "../test/fakes/github/index.js";
import { FakeOpenAI } from "../test/fakes/openai/server.js";
import { installBrains } from "../test/optimizer/helpers/world.js";
import { figure, progress } from "./report.js";

const MODEL_LATENCY_MS = 20;

/** The entry and every chunk it loads, followed through static imports. */
async function bundleBytes(entry: string): Promise<number> {
  const seen = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, "utf8");
    for (const m of text.matchAll(/from\s*"(\.\.?\/[^"]+)"|import\(\s*"(\.\.?\/[^"]+)"\s*\)/g))
      await visit(path.resolve(path.dirname(file), m[1] ?? m[2]!));
  };
  await visit(entry);
  let total = 0;
  for (const file of seen) total += (await stat(file)).size;
  return total;
}

export async function run(): Promise<void> {
  const entry = path.resolve("dist/action/index.js");
  if (!existsSync(entry)) throw new Error("dist/action/index.js is missing: run `npm run build` first");
  const github = await FakeGitHub.start();
  const fake = await FakeOpenAI.start();
  fake.latencyMs = MODEL_LATENCY_MS;
  installBrains(fake);
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-action-"));
  try {
    const { event } = await prepareOneRun(github);
    const files = {
      event: path.join(dir, "event.json"),
      output: path.join(dir, "out"),
      summary: path.join(dir, "summary"),
      state: path.join(dir, "state"),
    };
    await writeFile(files.event, JSON.stringify(event));
    for (const f of [files.output, files.summary, files.state]) await writeFile(f, "");

    progress(`action: one run of ${entry} against the fakes (model latency ${MODEL_LATENCY_MS} ms)`);
    const started = performance.now();
    let firstLine = 0;
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [entry], {
        env: {
          PATH: process.env.PATH!,
          HOME: dir,
          XDG_CACHE_HOME: path.join(dir, "cache"),
          GITHUB_REPOSITORY: "acme/support",
          GITHUB_API_URL: github.baseUrl,
          GITHUB_EVENT_NAME: "workflow_dispatch",
          GITHUB_EVENT_PATH: files.event,
          GITHUB_OUTPUT: files.output,
          GITHUB_STEP_SUMMARY: files.summary,
          GITHUB_STATE: files.state,
          "INPUT_GITHUB-TOKEN": "ghs_bench",
          "INPUT_OPENAI-API-KEY": "sk-bench",
          "INPUT_OPENAI-BASE-URL": fake.baseURL,
          INPUT_MODE: "optimize",
          "INPUT_DRY-RUN": "false",
          INPUT_FORCE: "false",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.once("data", () => (firstLine = performance.now() - started));
      child.stderr.on("data", (c: Buffer) => process.stderr.write(c));
      child.on("exit", (c) => resolve(c ?? 1));
    });
    const wall = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`the Action exited ${code}`);
    github.assertClean();
    const contentRoutes = (key: string) => !key.startsWith("GET ");
    figure("github_requests_total", github.count());
    figure("github_content_requests", github.count(contentRoutes));
    for (const [route, n] of [...github.counts].sort())
      figure(`github_requests.${route.replace(/ /g, "_")}`, n);
    figure("action_bundle_kb", (await bundleBytes(entry)) / 1024);
    figure("action_cold_start_ms", firstLine);
    figure("action_wall_s", wall);
    figure("model_calls", fake.calls);
    figure("model_latency_ms", MODEL_LATENCY_MS);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await github.close();
    await fake.close();
  }
}
