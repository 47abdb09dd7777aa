/**
 * Ids of ingested entries. A client id wins; otherwise a request carrying an `Idempotency-Key`
 * gets ids derived from that key and the entry's position, so its retry stores nothing twice and
 * gets back the entries stored first, with no idempotency record and no extra commit.
 */
import { v5 as uuidv5 } from "uuid";
import { newId } from "../../core/ids.js";
import type { ApiRequest } from "./router.js";

const ENTRY_NAMESPACE = "5b0e6c1e-3f57-5a0b-9c64-7d2f8e4a1b93";

/** The request's `Idempotency-Key`, when it has one. */
export function idempotencyKeyOf(req: Pick<ApiRequest, "headers">): string | undefined {
  const header = req.headers["idempotency-key"];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

/**
 * @example
 * entryId(req, input.id, 0) // input.id, or uuidv5("POST /api/v1/feedback\nretry-1\n0"), or a fresh UUIDv7
 */
export function entryId(
  req: Pick<ApiRequest, "method" | "path" | "headers">,
  clientId: string | undefined,
  index: number,
): string {
  if (clientId) return clientId;
  const key = idempotencyKeyOf(req);
  return key ? uuidv5(`${req.method} ${req.path}\n${key}\n${index}`, ENTRY_NAMESPACE) : newId();
}

/** `Idempotent-Replayed: true` when a keyed request found every one of its entries stored already. */
export function replayedHeader(req: Pick<ApiRequest, "headers">, added: number): Record<string, string> {
  return idempotencyKeyOf(req) && added === 0 ? { "idempotent-replayed": "true" } : {};
}
