/**
 * Which version a unit is served while a canary runs, written once for the server and both
 * SDKs' TypeScript (the Python SDK repeats it: sha256 of `candidate \0 unit`, the first four
 * bytes as a fraction below the share). Web Crypto, so the SDK runs wherever fetch does.
 */

/** `candidate=<id>; active=<id>; share=<s>`: the split, sent with every prompt of a canary's task. */
export const CANARY_HEADER = "x-kaizen-canary";

export interface CanarySplit {
  candidate: string;
  active: string;
  share: number;
}

export function formatCanaryHeader(split: CanarySplit): string {
  return `candidate=${split.candidate}; active=${split.active}; share=${split.share}`;
}

/** The split a response announces, or null (no canary, or a header this client cannot read). */
export function parseCanaryHeader(headers: Headers): CanarySplit | null {
  const value = headers.get(CANARY_HEADER);
  if (!value) return null;
  const fields = new Map(
    value.split(";").map((part) => {
      const [name = "", ...rest] = part.trim().split("=");
      return [name, rest.join("=")];
    }),
  );
  const candidate = fields.get("candidate");
  const active = fields.get("active");
  const share = Number(fields.get("share"));
  if (!candidate || !active || !Number.isFinite(share)) return null;
  return { candidate, active, share };
}

/**
 * Whether this unit is served the candidate: a hash of (candidate version, unit) below `share`.
 * The same unit always lands on the same side for one candidate, a new candidate draws afresh,
 * and raising the share only adds units (none switches back).
 * @example await servesCandidate("user-42", candidateId, 0.1)
 */
export async function servesCandidate(unit: string, candidateId: string, share: number): Promise<boolean> {
  if (share <= 0) return false;
  const bytes = new TextEncoder().encode(`${candidateId}\u0000${unit}`);
  const digest = new DataView(await globalThis.crypto.subtle.digest("SHA-256", bytes));
  return digest.getUint32(0) / 2 ** 32 < share;
}
