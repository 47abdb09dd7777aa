import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApiKey } from "../../src/app/auth/api-keys.js";
import { newId } from "../../src/core/ids.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";
import { DEMO_FILES } from "../../src/cli/commands/serve.js";
import { collect } from "../helpers/records.js";
import { startTestApi } from "./helpers/local-api.js";

const entry = (id: string) => ({
  id,
  task_id: "summarize_ticket",
  inputs: { ticket: id },
  output: "ok",
  score: 1,
});

describe("ingestion under load", () => {
  it("stores 10,000 entries from 50 concurrent clients exactly once, in far fewer commits", async () => {
    // Retention must keep them all, and no optimization should start meanwhile.
    const api = await startTestApi(
      {},
      {
        ".kaizen/tasks/summarize_ticket.yml":
          "name: summarize_ticket\nfeedback_retention_limit: 20000\nfeedback_threshold: 100000\n",
      },
    );
    try {
      const ids = Array.from({ length: 10_000 }, () => newId());
      await Promise.all(
        Array.from({ length: 50 }, async (_, client) => {
          for (let i = client; i < ids.length; i += 50) {
            const response = await api.call("POST", "/api/v1/feedback", entry(ids[i]!));
            if (response.status !== 201)
              throw new Error(`entry ${i}: ${response.status} ${JSON.stringify(response.body)}`);
          }
        }),
      );
      const stored = (await collect(api.server.repo.store.readFeedback("summarize_ticket"))).map((f) => f.id);
      expect(stored.length).toBe(10_000);
      expect(new Set(stored)).toEqual(new Set(ids));
      expect(api.server.repo.ingestion.stats.commits).toBeLessThan(2_000);
    } finally {
      await api.close();
    }
  }, 120_000);

  it("keeps every acknowledged entry when the server is killed (SIGKILL) mid-load", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-kill-"));
    await initRepository(dir, DEMO_FILES);
    const { key, record } = createApiKey("local", "local/kill", "test");
    await (await LocalGitStore.open(dir)).putKey(record);
    // One process (node with tsx's loader), so that SIGKILL hits the server itself.
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "helpers", "serve-process.ts"), dir, key],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const url = /READY (\S+)/.exec(line.toString())![1]!;
      const acknowledged: string[] = [];
      let killed = false;
      const clients = Array.from({ length: 20 }, async () => {
        while (!killed) {
          const id = newId();
          try {
            const response = await fetch(`${url}/api/v1/feedback`, {
              method: "POST",
              headers: { "x-api-key": key, "content-type": "application/json" },
              body: JSON.stringify(entry(id)),
            });
            if (response.status === 201) acknowledged.push(id);
          } catch {
            // The server died with this request in flight: it was never acknowledged.
          }
        }
      });
      while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill("SIGKILL");
      killed = true;
      await once(child, "exit");
      await Promise.all(clients);
      const stored = new Set(
        (await collect((await LocalGitStore.open(dir)).readFeedback("summarize_ticket"))).map((f) => f.id),
      );
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
