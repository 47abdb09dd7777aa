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
import { builtEntry } from "../helpers/built.js";
import { collect } from "../helpers/records.js";
import { feedbackEntry } from "./helpers/bodies.js";

describe("ingestion under load", () => {
  it("keeps every acknowledged entry when the server is killed (SIGKILL) mid-load", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-kill-"));
    await initRepository(dir, DEMO_FILES);
    const { key, record } = createApiKey("local", "local/kill", "test");
    await (await LocalGitStore.open(dir)).putKey(record);
    // One process, so that SIGKILL hits the server itself.
    const child = spawn(process.execPath, [builtEntry("test-helpers/serve-process"), dir, key], {
      stdio: ["ignore", "pipe", "inherit"],
    });
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
              body: JSON.stringify(feedbackEntry(id)),
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
