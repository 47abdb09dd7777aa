/**
 * `Idempotency-Key` on POSTs: the first response is kept in the repository (so every app
 * instance sees it) for 24 hours, and a repeat gets it back without doing anything again.
 * That is what lets the SDK retry `optimize` without ever starting two paid jobs.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { layout } from "../store/layout.js";
import type { Store } from "../store/store.js";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

const StoredResponse = z.object({
  route: z.string(),
  status: z.number().int(),
  body: z.unknown(),
  created_at: z.string(),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

function pathFor(route: string, key: string): string {
  return layout.idempotency(createHash("sha256").update(`${route}\n${key}`).digest("hex"));
}

/** The first response to this key on this route, when it is younger than 24 hours. */
export async function recall(
  store: Store,
  route: string,
  key: string,
  now = Date.now(),
): Promise<StoredResponse | null> {
  const stored = await store.transact("read idempotency record", async (tx) =>
    tx.readJson(pathFor(route, key), StoredResponse),
  );
  if (!stored || now - Date.parse(stored.created_at) > IDEMPOTENCY_WINDOW_MS) return null;
  return stored;
}

export async function remember(
  store: Store,
  route: string,
  key: string,
  status: number,
  body: unknown,
  now = new Date(),
): Promise<void> {
  await store.transact(`Remember the response to Idempotency-Key for ${route}`, async (tx) => {
    tx.writeJson(pathFor(route, key), StoredResponse, { route, status, body, created_at: now.toISOString() });
  });
}

/**
 * Runs work once for concurrent callers with the same key: a retry that arrives while the first
 * request is still being handled by this server waits for it and gets its response, instead of
 * racing it past `recall`. Across instances the stored record (and, for jobs, the one-in-flight
 * rule checked inside the job's own transaction) does that work.
 * @example
 * const once = new Coalescer();
 * const response = await once.run(`${repo}\n${route}\n${key}`, () => handle(request));
 */
export class Coalescer {
  #inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
}
