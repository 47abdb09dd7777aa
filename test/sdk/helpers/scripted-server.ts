/**
 * A small HTTP server whose behaviour a test switches at will: answer, fail with a status,
 * stall, or answer 429 with Retry-After. It records every request (method, path, headers, body).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Mode =
  | { kind: "ok" }
  // `times`: answer the status this many times, then answer normally again.
  | { kind: "status"; status: number; headers?: Record<string, string>; times?: number }
  | { kind: "stall" }
  | { kind: "down" };

export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export class ScriptedServer {
  mode: Mode = { kind: "ok" };
  readonly seen: Seen[] = [];
  /** What an OK answer is, per request. */
  answer: (seen: Seen) => { status: number; body: unknown; headers?: Record<string, string> } = () => ({
    status: 200,
    body: {},
  });
  #server: Server;
  url = "";

  private constructor() {
    this.#server = createServer((req, res) => void this.#answer(req, res));
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const seen = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    this.seen.push(seen);
    const mode = this.mode;
    if (mode.kind === "down") return void res.destroy();
    if (mode.kind === "stall") return;
    if (mode.kind === "status") {
      if (mode.times !== undefined && --mode.times <= 0) this.mode = { kind: "ok" };
      res.writeHead(mode.status, { "content-type": "application/json", ...mode.headers });
      return void res.end(JSON.stringify({ detail: `scripted ${mode.status}` }));
    }
    const { status, body, headers } = this.answer(seen);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(status === 304 ? undefined : JSON.stringify(body));
  }

  static async start(): Promise<ScriptedServer> {
    const server = new ScriptedServer();
    await new Promise<void>((resolve) => server.#server.listen(0, "127.0.0.1", resolve));
    server.url = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
