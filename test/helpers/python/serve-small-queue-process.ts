/**
 * `kaizen serve`'s server (startLocalServer, the same code the CLI runs) with a tiny ingestion
 * queue and a slow commit pace, so the Python SDK's tests can fill the queue and get the real
 * 429 with Retry-After. Prints `READY <url>`; runs until stdin closes or SIGTERM.
 * Usage: tsx serve-small-queue-process.ts <repo dir> <api key> <max queued> <commit interval ms>
 */
import { startLocalServer } from "../../../src/app/local.js";

const [dir, key, maxQueued, intervalMs] = process.argv.slice(2);
const server = await startLocalServer({
  repoDir: dir!,
  port: 0,
  apiKey: key,
  maxQueued: Number(maxQueued),
  minCommitIntervalMs: Number(intervalMs),
});
process.stdout.write(`READY ${server.url}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.stdin.on("end", () => void stop());
process.stdin.resume();
process.once("SIGTERM", () => void stop());
