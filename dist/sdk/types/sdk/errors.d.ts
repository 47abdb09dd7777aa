/**
 * The SDK's errors, after openai-node: one root, an API error carrying the status, the parsed
 * body, the headers, FastAPI's `detail` and the request id, a request error for the network,
 * and a configuration error.
 */
import { KaizenError } from "../core/errors.js";
export { KaizenError };
export declare class KaizenConfigError extends KaizenError {
    name: string;
}
/** The server answered with an error status. */
export declare class KaizenAPIError extends KaizenError {
    readonly status: number;
    readonly payload: unknown;
    readonly headers: Headers;
    readonly requestId: string;
    name: string;
    readonly detail: unknown;
    constructor(status: number, payload: unknown, headers: Headers, requestId: string);
}
/** The request never got an answer: network failure or timeout; `cause` says which. */
export declare class KaizenRequestError extends KaizenError {
    readonly requestId: string;
    name: string;
    constructor(message: string, requestId: string, options?: {
        cause?: unknown;
    });
}
