export interface HttpOptions {
    baseUrl: string;
    apiKey: string;
    timeoutMs: number;
    maxRetries: number;
    fetch: typeof fetch;
    /** Base of the backoff, in ms. */
    backoffMs?: number;
}
export interface HttpResponse<T> {
    status: number;
    body: T;
    headers: Headers;
}
export declare function request<T>(options: HttpOptions, method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<HttpResponse<T>>;
