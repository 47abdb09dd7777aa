/**
 * `npm run bench -- connection-flood [--sockets 1024] [--requests 100]`: a `kaizen serve` while
 * `--sockets` idle connections (64 from each loopback address, reopened as soon as the server
 * closes one) are held, and `--requests` legitimate `GET /api/v1/tasks` on fresh connections, ten
 * at a time. Prints the share answered (issue #20: 0 for 20–30 s before the connection guard).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../src/app/local.js";
import { DEMO_FILES } from "../src/cli/commands/serve.js";
import { initRepository } from "../src/store/local-git-store.js";
import { legitimateRequest, startFlood } from "../test/helpers/connection-flood.js";
import { figure, numberFlag, progress } from "./report.js";

export async function run(args: string[]): Promise<void> {
  const sockets = numberFlag(args, "sockets", 1_024);
  const requests = numberFlag(args, "requests", 100);
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-flood-"));
  await initRepository(dir, DEMO_FILES);
  const server = await startLocalServer({ repoDir: dir, port: 0 });
  try {
    progress(`holding ${sockets} idle sockets…`);
    const flood = await startFlood({
      port: Number(new URL(server.url).port),
      count: sockets,
      perAddress: 64,
      reopen: true,
      lifetimeMs: 120_000,
    });
    let answered = 0;
    try {
      for (let sent = 0; sent < requests; sent += 10) {
        const statuses = await Promise.all(
          Array.from({ length: Math.min(10, requests - sent) }, () =>
            legitimateRequest(`${server.url}/api/v1/tasks`, { "x-api-key": server.apiKey }, 30_000),
          ),
        );
        answered += statuses.filter((s) => s === 200).length;
      }
    } finally {
      figure("flood_idle_sockets_opened", flood.opened());
      flood.stop();
    }
    figure("flood_idle_sockets", sockets);
    figure("flood_legit_requests", requests);
    figure("flood_legit_answered_share", answered / requests);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
