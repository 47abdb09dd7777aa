/**
 * Which version a unit is served while a canary runs, written once for the server and both
 * SDKs' TypeScript (the Python SDK repeats it: sha256 of `candidate \0 unit`, the first four
 * bytes as a fraction below the share). Web Crypto, so the SDK runs wherever fetch does.
 */
/** `candidate=<id>; active=<id>; share=<s>`: the split, sent with every prompt of a canary's task. */
export declare const CANARY_HEADER = "x-kaizen-canary";
export interface CanarySplit {
    candidate: string;
    active: string;
    share: number;
}
export declare function formatCanaryHeader(split: CanarySplit): string;
/** The split a response announces, or null (no canary, or a header this client cannot read). */
export declare function parseCanaryHeader(headers: Headers): CanarySplit | null;
/**
 * Whether this unit is served the candidate: a hash of (candidate version, unit) below `share`.
 * The same unit always lands on the same side for one candidate, a new candidate draws afresh,
 * and raising the share only adds units (none switches back).
 * @example await servesCandidate("user-42", candidateId, 0.1)
 */
export declare function servesCandidate(unit: string, candidateId: string, share: number): Promise<boolean>;
