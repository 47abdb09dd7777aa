/**
 * API keys. The app keeps no database, so a key names where its record lives:
 * `kz_<repository key>_<key id>_<secret>`, where the repository key is GitHub's numeric
 * repository id (or `local` for `kaizen serve`) and the key id names `keys/<id>.json` on that
 * repository's data branch. Only a sha256 of the whole key is stored; it is compared in
 * constant time, and the key itself is shown once.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "../../core/ids.js";
import type { ApiKeyRecord } from "../../core/records.js";

const KEY_PATTERN = /^kz_([A-Za-z0-9-]+)_([0-9a-f]{32})_([A-Za-z0-9_-]{20,})$/;

export interface ParsedKey {
  repoKey: string;
  keyId: string;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * A new key for one repository: the secret to show once and the record to store.
 *
 * @example
 * const { key, record } = createApiKey("123456", "acme/support", "octocat");
 */
export function createApiKey(
  repoKey: string,
  repoFullName: string,
  createdBy: string | null,
  now = new Date(),
): { key: string; record: ApiKeyRecord } {
  const id = newId();
  const key = `kz_${repoKey}_${id.replace(/-/g, "")}_${randomBytes(32).toString("base64url")}`;
  return {
    key,
    record: {
      id,
      repo: repoFullName,
      prefix: keyPrefix(key),
      hash: hashKey(key),
      created_at: now.toISOString(),
      created_by: createdBy,
    },
  };
}

/**
 * What may be shown of a key to tell keys apart: everything up to the secret, and the secret's
 * first four characters. The secret is base64url and may itself contain '_', so it starts after
 * the third '_' (the repository key and the key id contain none).
 */
export function keyPrefix(key: string): string {
  const secretStart = key.indexOf("_", key.indexOf("_", key.indexOf("_") + 1) + 1) + 1;
  return key.slice(0, secretStart + 4);
}

/** The repository and record a key points at, or null when it is not a Kaizen key at all. */
export function parseApiKey(key: string): ParsedKey | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const hex = match[2]!;
  return {
    repoKey: match[1]!,
    keyId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  };
}

/** Whether `key` is the one whose hash the record holds, in constant time. */
export function keyMatches(key: string, record: Pick<ApiKeyRecord, "hash">): boolean {
  const given = Buffer.from(hashKey(key), "hex");
  const stored = Buffer.from(record.hash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
