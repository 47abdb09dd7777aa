/**
 * "Acknowledged" means on disk: a real `kaizen serve`, traced with strace around one feedback
 * write, fsyncs every object of the commit, the directories they were renamed into, and the
 * ref, before it answers 201; and it starts no process for the commit. strace must be installed
 * (`.ci/run` installs it).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createApiKey } from "../../src/app/auth/api-keys.js";
import { DEMO_FILES } from "../../src/cli/commands/serve.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";
import { builtEntry } from "../helpers/built.js";

const run = promisify(execFile);

/** The server's process and its children (the long-lived git processes), each thread of each. */
async function processTree(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const thread of await readdir(`/proc/${pid}/task`)) {
    const text = await readFile(`/proc/${pid}/task/${thread}/children`, "utf8").catch(() => "");
    children.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  return [pid, ...(await Promise.all(children.map(processTree))).flat()];
}

async function postFeedback(url: string, key: string, ticket: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/feedback`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ task_id: "summarize_ticket", inputs: { ticket }, output: "ok", score: 1 }),
  });
  expect(response.status).toBe(201);
}

describe("an acknowledged write of kaizen serve", () => {
  it("is fsynced (objects, their directories, the ref) before the 201, with no process started", async () => {
    await run("strace", ["-V"]).catch(() => {
      throw new Error("strace is not installed: apt-get install strace (.ci/run does)");
    });
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-fsync-"));
    await initRepository(dir, DEMO_FILES);
    const { key, record } = createApiKey("local", "local/fsync", "test");
    const setup = await LocalGitStore.open(dir);
    await setup.putKey(record);
    await setup.close();
    const server = spawn(process.execPath, [builtEntry("test-helpers/serve-process"), dir, key], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const traceFile = path.join(dir, "strace.txt");
    try {
      const [line] = (await once(server.stdout, "data")) as [Buffer];
      const url = /READY (\S+)/.exec(line.toString())![1]!;
      // The first write starts the long-lived git processes; the traced one is the next.
      await postFeedback(url, key, "warm-up");
      const before = (await run("git", ["rev-parse", "kaizen/data"], { cwd: dir })).stdout.trim();

      const pids = await processTree(server.pid!);
      const strace = spawn(
        "strace",
        [
          "-f",
          "-y",
          "-e",
          "trace=fsync,fdatasync,execve",
          "-o",
          traceFile,
          ...pids.flatMap((p) => ["-p", String(p)]),
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      // strace says so on stderr once it has attached to every process.
      let attached = "";
      while (attached.split("attached").length - 1 < pids.length) {
        const [chunk] = (await once(strace.stderr, "data")) as [Buffer];
        attached += chunk.toString();
      }
      await postFeedback(url, key, "traced");
      strace.kill("SIGINT");
      await once(strace, "exit");

      const after = (await run("git", ["rev-parse", "kaizen/data"], { cwd: dir })).stdout.trim();
      const newObjects = (
        await run("git", ["rev-list", "--objects", `${before}..${after}`], { cwd: dir })
      ).stdout
        .trim()
        .split("\n");
      const calls = (await readFile(traceFile, "utf8"))
        .split("\n")
        .filter((l) => /\b(fsync|fdatasync|execve)\(/.test(l));
      const synced = calls.filter((l) => /\b(fsync|fdatasync)\(/.test(l));
      // Every object of the commit (blobs, trees, the commit): fsynced as a file, then renamed.
      expect(synced.filter((l) => /\/objects\/[0-9a-f]{2}\/tmp_obj_/.test(l)).length).toBeGreaterThanOrEqual(
        newObjects.length,
      );
      // The directories the objects were renamed into.
      expect(synced.filter((l) => /\/objects\/[0-9a-f]{2}>/.test(l)).length).toBeGreaterThanOrEqual(1);
      // The ref, by git, before it renames the lock into place.
      expect(synced.filter((l) => /refs\/heads\/kaizen\/data\.lock>/.test(l))).toHaveLength(1);
      // No process per commit: the git processes of the first write served this one too.
      expect(calls.filter((l) => /\bexecve\(/.test(l))).toEqual([]);
    } finally {
      server.kill("SIGKILL");
      if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
