import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../src/app/local.js";
import { operatorKeyId } from "../../src/app/operator-key.js";
import { tryIt } from "../../src/cli/commands/serve.js";
import { LocalGitStore, initRepository } from "../../src/store/local-git-store.js";
import { loadTasks } from "../../src/store/tasks.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const FILES = {
  ".kaizen/tasks/classify.yml": "name: classify\nprompt_path: prompts/classify.txt\n",
  "prompts/classify.txt": "Classify the message {{message}} from {{channel}}.\n",
};

async function repository(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-serve-"));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await initRepository(dir, FILES);
  return dir;
}

async function serve(dir: string, apiKey?: string): Promise<LocalServer> {
  const server = await startLocalServer({ repoDir: dir, port: 0, ...(apiKey ? { apiKey } : {}) });
  cleanup.push(() => server.close());
  return server;
}

const tasksWith = (server: LocalServer, key: string) =>
  fetch(`${server.url}/api/v1/tasks`, { headers: { "x-api-key": key } }).then((r) => r.status);

describe("kaizen serve's own key", () => {
  it("accepts the key the operator chose (the seeds' kaizen_abc123), stores only its hash, and warns that it is short", async () => {
    const dir = await repository();
    const server = await serve(dir, "kaizen_abc123");
    expect(server.generatedKey).toBe(false);
    expect(server.keyWarning).toMatch(/13 characters long.*32 or more/);
    expect(await tasksWith(server, "kaizen_abc123")).toBe(200);
    expect(await tasksWith(server, "kaizen_abc124")).toBe(401);
    expect(await tasksWith(server, "kz_local_0123")).toBe(401);

    const keys = await (await LocalGitStore.open(dir)).listKeys();
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain("kaizen_abc123");
    expect(keys[0]!.prefix.length).toBeLessThan(6);
    // Bare like a kz_ key's prefix (`kaizen keys list` marks the cut once, not twice).
    expect(keys[0]!.prefix).toBe("kai");
  });

  it("lets two servers on one repository keep their own KAIZEN_API_KEY; retiring one is explicit", async () => {
    const dir = await repository();
    const firstKey = "first-operator-key-0123456789abcdef";
    const secondKey = "second-operator-key-0123456789abcdef";
    const first = await serve(dir, firstKey);
    expect(first.keyWarning).toBeNull();
    const second = await serve(dir, secondKey);
    // The second start revokes nothing: both servers answer their own key, and each other's.
    for (const server of [first, second])
      for (const key of [firstKey, secondKey]) expect(await tasksWith(server, key)).toBe(200);
    const store = await LocalGitStore.open(dir);
    expect(await store.isKeyRevoked(operatorKeyId(firstKey))).toBe(false);
    // Rotating is explicit: the second operator revokes the first key by its id.
    const revoked = await fetch(`${second.url}/api/v1/keys/${operatorKeyId(firstKey)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${secondKey}` },
    });
    expect(revoked.status).toBe(204);
    expect(await tasksWith(second, firstKey)).toBe(401);
    expect(await tasksWith(second, secondKey)).toBe(200);
  });

  it("still generates a key, shown once, when none is set", async () => {
    const server = await serve(await repository());
    expect(server.generatedKey).toBe(true);
    expect(await tasksWith(server, server.apiKey)).toBe(200);
  });
});

describe("kaizen serve's try-it lines", () => {
  it("use the repository's own task and its prompt's placeholders, not a fixed example", async () => {
    const dir = await repository();
    const store = await LocalGitStore.open(dir);
    const lines = await tryIt("http://127.0.0.1:8000", null, await loadTasks(store), (file) =>
      store.readRepoFile(file),
    );
    expect(lines).toContain(`"task_id":"classify","inputs":{"message":"…","channel":"…"}`);
    expect(lines).toContain("/api/v1/tasks/classify/prompt");
    expect(lines).not.toContain("summarize_ticket");
  });

  it("say there is no task yet in a repository without one", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-serve-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await initRepository(dir, {});
    const store = await LocalGitStore.open(dir);
    const lines = await tryIt("http://127.0.0.1:8000", "kz_local_x", await loadTasks(store), () =>
      Promise.resolve(null),
    );
    expect(lines).toContain("no task yet");
    expect(lines).toContain("export KAIZEN_API_KEY=kz_local_x");
  });
});
