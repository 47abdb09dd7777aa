/**
 * `kaizen serve` in its own process, where something rejects that nobody awaits: the process
 * must log it and keep serving. Prints `READY <url>` when listening.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../../../src/app/local.js";
import { initRepository } from "../../../src/store/local-git-store.js";

const dir = await mkdtemp(path.join(tmpdir(), "kaizen-reject-"));
await initRepository(dir, { ".kaizen/tasks/t.yml": "name: t\n" });
const server = await startLocalServer({
  repoDir: dir,
  port: 0,
  log: (message) => process.stderr.write(`${message}\n`),
});
void Promise.reject(new Error("a background task nobody awaited"));
process.stdout.write(`READY ${server.url}\n`);
