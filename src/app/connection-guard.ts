/**
 * Who may hold a connection to the server. Node's own cap (`server.maxConnections`) refuses the
 * newest connection when the server is full, so 1,024 sockets that send nothing lock every
 * legitimate client out until the header timeout cuts them off (and reopening them in waves keeps
 * it so). Instead: a cap per client address, far below the global one; when the server is crowded,
 * connections that are not serving a request are closed after a short idle time; and at the cap, a
 * new connection takes the place of the one idle the longest. A connection that is serving a
 * request is never closed for another, so a client that sends its request gets its answer.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  /** Open connections at most. */
  maxConnections: number;
  /** Open connections from one client address at most. */
  maxConnectionsPerAddress: number;
  /** Past `maxConnections - reserve` open connections, the server is crowded. */
  reserve: number;
  /** How long a connection may sit without a request while the server is crowded (ms). */
  crowdedIdleMs: number;
}

interface Tracked {
  address: string;
  /** Requests in flight on this connection. */
  busy: number;
  /** When it last finished a request, or when it opened. */
  lastActive: number;
}

export interface ConnectionGuard {
  /** Connections open now. */
  open(): number;
  /** Connections closed to make room or because they sat idle while the server was crowded. */
  closed(): number;
}

/**
 * @example
 * guardConnections(server, { maxConnections: 1024, maxConnectionsPerAddress: 64, reserve: 256, crowdedIdleMs: 1000 });
 */
export function guardConnections(server: Server, limits: ConnectionLimits): ConnectionGuard {
  const sockets = new Map<Socket, Tracked>();
  const byAddress = new Map<string, Set<Socket>>();
  let closed = 0;
  let sweeper: NodeJS.Timeout | null = null;

  const forget = (socket: Socket) => {
    const tracked = sockets.get(socket);
    if (!tracked) return;
    sockets.delete(socket);
    const own = byAddress.get(tracked.address);
    own?.delete(socket);
    if (own?.size === 0) byAddress.delete(tracked.address);
  };
  const close = (socket: Socket) => {
    forget(socket);
    closed++;
    socket.destroy();
  };
  /** The connection without a request in flight that was active the longest ago. */
  const longestIdle = (among: Iterable<Socket>): Socket | null => {
    let found: Socket | null = null;
    let since = Infinity;
    for (const socket of among) {
      const tracked = sockets.get(socket)!;
      if (tracked.busy === 0 && tracked.lastActive < since) [found, since] = [socket, tracked.lastActive];
    }
    return found;
  };
  const crowded = () => sockets.size > limits.maxConnections - limits.reserve;
  const sweep = () => {
    const now = Date.now();
    for (const [socket, tracked] of sockets)
      if (tracked.busy === 0 && now - tracked.lastActive >= limits.crowdedIdleMs) close(socket);
    if (!crowded() && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };

  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const own = byAddress.get(address) ?? new Set<Socket>();
    // Full (for this address, or for everyone): the longest idle connection makes room, or,
    // when every connection is serving a request, the new one is refused.
    const makeRoom = (among: Iterable<Socket>) => {
      const idle = longestIdle(among);
      if (idle) close(idle);
      return idle !== null;
    };
    if (
      (own.size >= limits.maxConnectionsPerAddress && !makeRoom(own)) ||
      (sockets.size >= limits.maxConnections && !makeRoom(sockets.keys()))
    ) {
      closed++;
      socket.destroy();
      return;
    }
    sockets.set(socket, { address, busy: 0, lastActive: Date.now() });
    own.add(socket);
    byAddress.set(address, own);
    socket.once("close", () => forget(socket));
    if (crowded() && !sweeper) {
      sweeper = setInterval(sweep, Math.max(50, Math.floor(limits.crowdedIdleMs / 4)));
      sweeper.unref();
    }
  });

  server.on("request", (req, res) => {
    const tracked = sockets.get(req.socket);
    if (!tracked) return;
    tracked.busy++;
    res.once("close", () => {
      tracked.busy--;
      tracked.lastActive = Date.now();
    });
  });

  server.once("close", () => {
    if (sweeper) clearInterval(sweeper);
    sweeper = null;
  });

  return { open: () => sockets.size, closed: () => closed };
}
