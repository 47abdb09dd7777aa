/**
 * `kaizen serve`'s own key: whatever the operator puts in KAIZEN_API_KEY (the SDK reads the same
 * variable), not only keys shaped like Kaizen's (`kz_<repo>_<id>_<secret>`). Such a key names no
 * record, so its record's id is derived from its hash: the key is found again without being
 * stored, and only its hash is kept.
 */
import { v5 as uuidv5 } from "uuid";
import type { ApiKeyRecord } from "../core/records.js";
import { hashKey, parseApiKey, type ParsedKey } from "./auth/api-keys.js";

const OPERATOR_KEY_NAMESPACE = "8a4b7f0e-2c1d-5e3f-9a6b-0c7d8e9f1a2b";
/** Who made an operator's key, in its record: how a key set by an earlier start is recognised. */
export const OPERATOR_KEY_CREATOR = "KAIZEN_API_KEY";
/** Shorter than this, a key can be guessed by anyone who can reach the server. */
export const SHORT_KEY_LENGTH = 32;

/** The id of the record of an operator's key. */
export function operatorKeyId(key: string): string {
  return uuidv5(hashKey(key), OPERATOR_KEY_NAMESPACE);
}

/** Where a key presented to `kaizen serve` lives: a Kaizen key says so, any other is the operator's. */
export function locateLocalKey(key: string, localRepoKey: string): ParsedKey {
  return parseApiKey(key) ?? { repoKey: localRepoKey, keyId: operatorKeyId(key) };
}

/** The record of an operator's key: its hash, and a prefix too short to help a guess. */
export function operatorKeyRecord(key: string, repo: string, now = new Date()): ApiKeyRecord {
  return {
    id: operatorKeyId(key),
    repo,
    // Bare, like a kz_ key's prefix: whoever shows it marks the cut (`kaizen keys list` adds "…").
    prefix: key.slice(0, Math.min(6, Math.floor(key.length / 4))),
    hash: hashKey(key),
    created_at: now.toISOString(),
    created_by: OPERATOR_KEY_CREATOR,
  };
}

/** A warning for a key that is short enough to guess, else null. */
export function shortKeyWarning(key: string): string | null {
  return key.length >= SHORT_KEY_LENGTH
    ? null
    : `KAIZEN_API_KEY is ${key.length} characters long: anyone who can reach this server could guess it. Use ${SHORT_KEY_LENGTH} or more random characters, e.g. KAIZEN_API_KEY=$(openssl rand -hex 24).`;
}
