/**
 * A connection flood through real sockets, on loopback only: sockets that connect and send
 * nothing, spread over several loopback addresses (127.0.0.2, 127.0.0.3, …: Linux answers the
 * whole 127/8), reopened as soon as the server closes them, and legitimate requests beside them.
 * Shared by the flood test and `npm run bench -- connection-flood`.
 */
import { request } from "node:http";
import { connect, type Socket } from "node:net";

export interface Flood {
  /** Sockets the flood holds open now. */
  held(): number;
  /** Sockets the flood opened in all (reopened ones included). */
  opened(): number;
  /** Stops reopening and closes every socket. */
  stop(): void;
}

/**
 * Opens `count` idle sockets to `port`, `perAddress` from each loopback address from 127.0.0.2 on,
 * and (with `reopen`) opens a new one whenever one is closed, until `stop()`. Every socket closes
 * itself after `lifetimeMs` at the latest, so a forgotten flood ends by itself.
 */
export async function startFlood(options: {
  port: number;
  count: number;
  perAddress: number;
  reopen: boolean;
  lifetimeMs: number;
}): Promise<Flood> {
  const sockets = new Set<Socket>();
  let opened = 0;
  let stopped = false;
  const open = (localAddress: string): Promise<void> =>
    new Promise((resolve) => {
      opened++;
      const socket = connect({ port: options.port, host: "127.0.0.1", localAddress });
      const timer = setTimeout(() => socket.destroy(), options.lifetimeMs);
      timer.unref();
      socket.once("connect", () => resolve());
      socket.once("error", () => resolve());
      socket.once("close", () => {
        clearTimeout(timer);
        sockets.delete(socket);
        resolve();
        if (options.reopen && !stopped) setImmediate(() => void open(localAddress));
      });
      sockets.add(socket);
    });
  const addresses = Array.from(
    { length: Math.ceil(options.count / options.perAddress) },
    (_, i) => `127.0.0.${i + 2}`,
  );
  for (const [i, address] of addresses.entries()) {
    const here = Math.min(options.perAddress, options.count - i * options.perAddress);
    await Promise.all(Array.from({ length: here }, () => open(address)));
  }
  return {
    held: () => sockets.size,
    opened: () => opened,
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * One request on a fresh connection from 127.0.0.1, as a client would send it; resolves with the
 * status, or null when the connection was refused, reset or not answered within `timeoutMs`.
 */
export function legitimateRequest(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers, localAddress: "127.0.0.1" }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? null));
      res.once("error", () => resolve(null));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.once("error", () => resolve(null));
    req.end();
  });
}
