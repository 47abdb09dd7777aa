/**
 * The one place a Kaizen HTTP server is made (`kaizen serve` and the GitHub App): every request
 * ends in an answer even when its handler throws, slow or idle clients are cut off by timeouts,
 * the number of open connections is capped, and an unexpected rejection anywhere in the process
 * is logged instead of ending it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { guardConnections, type ConnectionLimits } from "./connection-guard.js";

export interface ServerLimits extends ConnectionLimits {
  /** Time a client gets to send the request headers (ms). */
  headersTimeoutMs: number;
  /** Time a client gets to send the whole request (ms). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open (ms). */
  keepAliveTimeoutMs: number;
}

/**
 * Node's defaults let a client take 60 s for its headers and 300 s for its body. Kaizen's bodies
 * are at most 10 MB, which any working client sends in well under a minute. One address holds at
 * most a sixteenth of the connections; past three quarters of the cap, a connection without a
 * request is closed after a second (connection-guard.ts).
 */
export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
  maxConnectionsPerAddress: 64,
  reserve: 256,
  crowdedIdleMs: 1_000,
};

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * @example
 * const server = createKaizenServer(handle, (m) => console.error(m));
 * server.listen(8000);
 */
export function createKaizenServer(
  handler: RequestHandler,
  log: (message: string) => void,
  limits: Partial<ServerLimits> = {},
): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, ...connections } = {
    ...DEFAULT_LIMITS,
    ...limits,
  };
  keepServingOnUnexpectedErrors(log);
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
    },
    (req, res) => {
      // A handler that throws (or rejects) still answers, and the process keeps serving.
      Promise.resolve()
        .then(() => handler(req, res))
        .catch((error: unknown) => {
          log(`${req.method} ${req.url} failed: ${(error as Error)?.stack ?? String(error)}`);
          if (!res.headersSent) {
            res.writeHead(500, { "content-type": "application/json" });
            res.end(JSON.stringify({ detail: "internal error" }));
          } else res.destroy();
        });
    },
  );
  guardConnections(server, connections);
  return server;
}

let guarded = false;
let report: (message: string) => void = (message) => console.error(message);

/**
 * Node ends the process on an unhandled rejection. One request or background task that fails in
 * an unforeseen way must not take every other client down with it: log it and keep serving.
 * Installed once per process; the log of the server made last hears it.
 */
export function keepServingOnUnexpectedErrors(log: (message: string) => void): void {
  report = log;
  if (guarded) return;
  guarded = true;
  process.on("unhandledRejection", (reason) => {
    report(`unexpected rejection (Kaizen keeps serving): ${(reason as Error)?.stack ?? String(reason)}`);
  });
}
