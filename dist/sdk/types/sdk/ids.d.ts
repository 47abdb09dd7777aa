/** UUIDv7 from Web Crypto only (any runtime with `crypto.getRandomValues`): time-ordered ids for client-side records. */
export declare function uuidv7(now?: number): string;
