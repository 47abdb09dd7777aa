/**
 * The peer a user would pick instead of Kaizen's git store: a bare node:http server over SQLite
 * (Node's built-in `node:sqlite`) in WAL mode with `synchronous=FULL`, acknowledging a feedback
 * post only once its transaction is committed, with the same group commit as Kaizen's
 * ingestion (what arrives during a commit goes into the next one).
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface SqlitePeer {
  url: string;
  /** Inserts `count` rows directly, in transactions of 1,000 (to seed a page read). */
  seed(count: number): void;
  close(): Promise<void>;
}

export async function startSqlitePeer(dir: string, keepAliveMs: number): Promise<SqlitePeer> {
  const db = new DatabaseSync(path.join(dir, "feedback.db"));
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db.exec(
    "CREATE TABLE IF NOT EXISTS feedback (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, task TEXT, body TEXT)",
  );
  const insert = db.prepare("INSERT OR IGNORE INTO feedback (id, task, body) VALUES (?, ?, ?)");
  const page = db.prepare("SELECT body FROM feedback WHERE task = ? ORDER BY seq DESC LIMIT ? OFFSET ?");
  let waiting: { record: Record<string, unknown>; done: () => void }[] = [];
  let flushing = false;
  const flush = () => {
    if (flushing) return;
    flushing = true;
    // After the current turn, so requests that arrive meanwhile join this commit.
    setImmediate(() => {
      const group = waiting;
      waiting = [];
      db.exec("BEGIN");
      for (const { record } of group)
        insert.run(record.id as string, record.task_id as string, JSON.stringify(record));
      db.exec("COMMIT");
      flushing = false;
      for (const { done } of group) done();
      if (waiting.length > 0) flush();
    });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://peer");
      if (req.method === "GET") {
        const match = /^\/api\/v1\/tasks\/([^/]+)\/feedback$/.exec(url.pathname);
        const rows = page.all(
          match?.[1] ?? "",
          Number(url.searchParams.get("limit") ?? 50),
          Number(url.searchParams.get("offset") ?? 0),
        ) as { body: string }[];
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`[${rows.map((r) => r.body).join(",")}]`);
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
      const record = { ...body, id: randomUUID(), created_at: new Date().toISOString() };
      waiting.push({
        record,
        done: () => {
          res.writeHead(201, { "content-type": "application/json" });
          res.end(JSON.stringify(record));
        },
      });
      flush();
    });
  });
  server.keepAliveTimeout = keepAliveMs;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seed(count) {
      for (let i = 0; i < count; i += 1_000) {
        db.exec("BEGIN");
        for (let j = i; j < Math.min(count, i + 1_000); j++)
          insert.run(
            randomUUID(),
            "summarize",
            JSON.stringify({ task_id: "summarize", output: `seed ${j}` }),
          );
        db.exec("COMMIT");
      }
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}
