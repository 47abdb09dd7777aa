/**
 * Ids of ingested entries. A client id wins; otherwise a request carrying an `Idempotency-Key`
 * gets ids derived from that key and the entry's position, so its retry stores nothing twice and
 * gets back the entries stored first, with no extra commit: the key's record (its claim) is
 * written in the commit that stores the entries.
 */
import { v5 as uuidv5 } from "uuid";
import { newId } from "../../core/ids.js";
import { canonicalJson, IDEMPOTENCY_MISMATCH, requestFingerprint, type KeyClaim } from "../idempotency.js";
import { HttpError } from "./http.js";
import type { ApiRequest } from "./router.js";

const ENTRY_NAMESPACE = "5b0e6c1e-3f57-5a0b-9c64-7d2f8e4a1b93";

/** The request's `Idempotency-Key`, when it has one. */
export function idempotencyKeyOf(req: Pick<ApiRequest, "headers">): string | undefined {
  const header = req.headers["idempotency-key"];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

/**
 * The claim a keyed ingestion request stores its entries with (`claimKeys`): the client's scope,
 * the route and the whole body, so another length or another task under the key is a 422 too.
 * @example
 * const claim = keyClaim(req, auth.key.id, await req.json()); // null without an Idempotency-Key
 */
export function keyClaim(
  req: Pick<ApiRequest, "method" | "path" | "headers">,
  clientScope: string,
  body: unknown,
): KeyClaim | null {
  const key = idempotencyKeyOf(req);
  if (!key) return null;
  const scope = `${clientScope} ${req.method} ${req.path}`;
  return { scope, key, fingerprint: requestFingerprint(scope, body) };
}

/**
 * The id of the entry at `index` of a request of `count` entries. Derived from the key, it
 * includes the client's scope (its API key's id), so two clients that reuse a key never collide,
 * and the request's size, so a batch of another length under a key shares no id with the first.
 * @example
 * entryId(req, auth.key.id, input.id, 0) // input.id, or uuidv5("<key id>\nPOST /api/v1/feedback\nretry-1\n1\n0"), or a fresh UUIDv7
 */
export function entryId(
  req: Pick<ApiRequest, "method" | "path" | "headers">,
  clientScope: string,
  clientId: string | undefined,
  index: number,
  count = 1,
): string {
  if (clientId) return clientId;
  const key = idempotencyKeyOf(req);
  return key
    ? uuidv5(`${clientScope}\n${req.method} ${req.path}\n${key}\n${count}\n${index}`, ENTRY_NAMESPACE)
    : newId();
}

/**
 * Refuses (422) a request whose key-derived entries were stored before with other content: the
 * key was reused for a different request, and replaying the first one would drop this one's data.
 * `pairs` hold each entry sent under a key-derived id and the entry stored under that id.
 */
export function refuseChangedReplay(
  req: Pick<ApiRequest, "headers">,
  pairs: readonly [sent: object, stored: object][],
): void {
  const key = idempotencyKeyOf(req);
  if (!key) return;
  const content = (entry: object) => canonicalJson({ ...entry, id: null, created_at: null });
  if (pairs.some(([sent, stored]) => content(sent) !== content(stored)))
    throw new HttpError(422, IDEMPOTENCY_MISMATCH(key));
}

/** `Idempotent-Replayed: true` when a keyed request found every one of its entries stored already. */
export function replayedHeader(req: Pick<ApiRequest, "headers">, added: number): Record<string, string> {
  return idempotencyKeyOf(req) && added === 0 ? { "idempotent-replayed": "true" } : {};
}
