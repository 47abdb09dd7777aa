/**
 * Runs the Action's entry as GitHub runs it: a separate process with `INPUT_*` variables, an
 * event payload in GITHUB_EVENT_PATH, and the GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and
 * GITHUB_STATE files, against the fake GitHub and the fake OpenAI server.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { builtEntry } from "../../helpers/built.js";

export interface ActionRun {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
}

/** GitHub's file-command format: `name<<DELIMITER\nvalue\nDELIMITER`. */
function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const pattern = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) values[m[1]!] = m[3]!;
  return values;
}

export async function runActionProcess(options: {
  entry?: "index" | "post-index";
  inputs: Record<string, string>;
  eventName: string;
  event: unknown;
  env: Record<string, string>;
  state?: string;
}): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-action-"));
  const files = {
    event: path.join(dir, "event.json"),
    output: path.join(dir, "output"),
    summary: path.join(dir, "summary.md"),
    state: path.join(dir, "state"),
  };
  await writeFile(files.event, JSON.stringify(options.event));
  for (const f of [files.output, files.summary]) await writeFile(f, "");
  await writeFile(files.state, "");
  const inputs = Object.fromEntries(
    Object.entries({
      "github-token": "ghs_action_token",
      mode: "optimize",
      "dry-run": "false",
      force: "false",
      ...options.inputs,
    }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
  // The bundles action.yml runs (dist/action/index.js, dist/action/post.js), built for this run.
  const entry = builtEntry(options.entry === "post-index" ? "action/post" : "action/index");
  const env = {
    PATH: process.env.PATH!,
    HOME: dir,
    XDG_CACHE_HOME: path.join(dir, "cache"),
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    ...(options.state ? { STATE_kaizen_job_ids: options.state, "STATE_kaizen-job-ids": options.state } : {}),
    ...inputs,
    ...options.env,
  };
  const result = await new Promise<{ code: number; log: string }>((resolve) => {
    execFile(process.execPath, [entry], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({
        code: error ? ((error as { code?: number }).code ?? 1) : Number(process.exitCode ?? 0),
        log: stdout + stderr,
      });
    });
  });
  const run: ActionRun = {
    ...result,
    outputs: parseFileCommands(await readFile(files.output, "utf8")),
    summary: await readFile(files.summary, "utf8"),
    state: parseFileCommands(await readFile(files.state, "utf8")),
  };
  await rm(dir, { recursive: true, force: true });
  return run;
}
