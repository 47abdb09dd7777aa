/**
 * `Idempotency-Key` on POSTs: the first response is kept in the repository (so every app
 * instance sees it) for 24 hours, and a repeat gets it back without doing anything again.
 * That is what lets the SDK retry `optimize` without ever starting two paid jobs.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { layout } from "../store/layout.js";
import type { DataTransaction, Store } from "../store/store.js";
import { HttpError } from "./api/http.js";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The 422 detail for a key reused with another request. */
export const IDEMPOTENCY_MISMATCH = (key: string) =>
  `Idempotency-Key ${JSON.stringify(key)} was already used for a different request (another body or resource); send a new key with a new request`;

const StoredResponse = z.object({
  route: z.string(),
  /** sha256 of the request (method, resource, body); absent in records made before it was kept. */
  fingerprint: z.string().optional(),
  status: z.number().int(),
  body: z.unknown(),
  created_at: z.string(),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

function hashOf(route: string, key: string): string {
  return createHash("sha256").update(`${route}\n${key}`).digest("hex");
}

/** `2026-11-29T05:…` → `2026112905`: the directory of the records made in that hour. */
function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13).replace(/[-T]/g, "");
}

/** The record of this key on this route among the files of the idempotency directory, if any. */
function findRecord(files: readonly string[], hash: string): string | undefined {
  return files.find((file) => file.endsWith(`/${hash}.json`));
}

/**
 * What one Idempotency-Key is scoped to: the client (its API key's id, so two clients reusing a
 * key never share a response) and the resource, not the path's spelling: a task named by its id
 * or by its name is one scope, and UUIDs compare in any letter case. `taskName` turns a task's
 * id or name into its name (or throws when there is no such task).
 */
export async function idempotencyScope(
  taskName: (idOrName: string) => Promise<string>,
  clientId: string,
  method: string,
  template: string,
  params: Readonly<Record<string, string>>,
): Promise<string> {
  let path = template;
  for (const [name, value] of Object.entries(params)) {
    let canonical = value.toLowerCase();
    if (name === "task") canonical = await taskName(value).catch(() => value);
    path = path.replace(`{${name}}`, canonical);
  }
  return `${clientId} ${method} ${path}`;
}

/** The fingerprint of a request: its scope and its body, as canonical JSON. */
export function requestFingerprint(scope: string, body: unknown): string {
  return createHash("sha256")
    .update(`${scope}\n${canonicalJson(body)}`)
    .digest("hex");
}

/**
 * JSON with every object's keys sorted (and, as JSON.stringify does, undefined values left
 * out), so that key order never changes a fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

/** The first response to this key on this route, when it is younger than 24 hours. */
export async function recall(
  store: Store,
  route: string,
  key: string,
  now = Date.now(),
): Promise<StoredResponse | null> {
  const stored = await store.transact("read idempotency record", async (tx) => {
    const path = findRecord(await tx.list(layout.idempotencyDir()), hashOf(route, key));
    return path ? tx.readJson(path, StoredResponse) : null;
  });
  if (!stored || now - Date.parse(stored.created_at) > IDEMPOTENCY_WINDOW_MS) return null;
  return stored;
}

/**
 * Stores the first response, and in the same commit deletes every record past its 24 hours
 * (whole hours, known by their directory's name, so nothing is read to find them): the
 * directory holds at most a day of records, however long the repository has been served.
 */
export async function remember(
  store: Store,
  route: string,
  key: string,
  status: number,
  body: unknown,
  now = new Date(),
  fingerprint?: string,
): Promise<void> {
  await store.transact(`Remember the response to Idempotency-Key for ${route}`, async (tx) => {
    expireRecords(tx, await tx.list(layout.idempotencyDir()), now);
    tx.writeJson(layout.idempotency(hourOf(now), hashOf(route, key)), StoredResponse, {
      route,
      fingerprint,
      status,
      body,
      created_at: now.toISOString(),
    });
  });
}

/** Deletes every record past its 24 hours (whole hours, known by their directory's name). */
function expireRecords(tx: DataTransaction, files: readonly string[], now: Date): void {
  // An hour's directory expires once its last possible record (made at hh:59:59) is 24 h old.
  const oldestKept = hourOf(new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS - 3_600_000));
  for (const file of files) {
    const hour = file.split("/")[1] ?? "";
    // Records of the first layout (`idempotency/<hash>.json`) have no hour: they expire too.
    if (!/^\d{10}$/.test(hour) || hour < oldestKept) tx.delete(file);
  }
}

/** What a keyed feedback or trace batch holds its key with: its scope and its fingerprint. */
export interface KeyClaim {
  scope: string;
  key: string;
  fingerprint: string;
}

/** The claims of one shard: key hash → the fingerprint of the request it named, and when. */
const ClaimShard = z.record(z.string(), z.object({ fingerprint: z.string(), at: z.string() }));

/**
 * Claims kept per shard, the newest: 256 shards hold the keys of the last 65,536 keyed batches
 * (of the last 24 hours), in files of ~40 kB that a commit rewrites only when it claims a key.
 */
export const CLAIMS_PER_SHARD = 256;

/**
 * Checks and records keyed ingestion batches inside the commit that stores their entries (no
 * commit of its own: the group commit stays one commit). Entry ids derived from a key catch a
 * changed entry at a position the first request had; a claim catches the rest (another length,
 * another task), so a key names one request as on every other route. Claims live in a fixed set
 * of shard files, not a file per request: the SDKs key every batch, and a file per batch made
 * every later commit list thousands more files (ingestion fell from 192 to 56 batches/s after
 * 6,000 keyed batches). Throws the 422 for a claim whose key holds another request's fingerprint.
 */
export async function claimKeys(
  tx: DataTransaction,
  claims: readonly KeyClaim[],
  now = new Date(),
): Promise<void> {
  const shards = new Map<string, Map<string, { fingerprint: string; at: string }>>();
  for (const { scope, key, fingerprint } of claims) {
    const hash = hashOf(scope, key);
    const path = layout.keyClaims(hash);
    let shard = shards.get(path);
    if (!shard) {
      shard = new Map(Object.entries((await tx.readJson(path, ClaimShard)) ?? {}));
      shards.set(path, shard);
    }
    const held = shard.get(hash);
    const live = held !== undefined && now.getTime() - Date.parse(held.at) <= IDEMPOTENCY_WINDOW_MS;
    if (live && held.fingerprint !== fingerprint) throw new HttpError(422, IDEMPOTENCY_MISMATCH(key));
    if (!live) {
      shard.delete(hash);
      shard.set(hash, { fingerprint, at: now.toISOString() });
    }
  }
  for (const [path, shard] of shards) {
    const kept = [...shard].filter(([, c]) => now.getTime() - Date.parse(c.at) <= IDEMPOTENCY_WINDOW_MS);
    // Insertion order is claim order: the oldest go first when the shard is full.
    tx.writeJson(path, ClaimShard, Object.fromEntries(kept.slice(-CLAIMS_PER_SHARD)));
  }
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
