/**
 * Kaizen's TypeScript SDK (`kaizen-prompts/sdk`): the client for getPrompt, logFeedback, tasks and
 * jobs, and `instrument(openai)`. It imports nothing from the app, the action, the store or the
 * optimizer, and needs only `fetch` and Web Crypto, so it runs on Node, in bundlers and on edge
 * runtimes.
 */
export { KaizenClient, type FeedbackEntry, type GetPromptOptions, type KaizenClientOptions, type PromptResult, } from "./client.js";
export { KaizenAPIError, KaizenConfigError, KaizenError, KaizenRequestError } from "./errors.js";
export { instrument, type InstrumentOptions } from "./instrument.js";
export type { FeedbackResult, Job, OptimizeResult, PromptVersion as Prompt, Task, TraceResult, CostEstimate, } from "../core/records.js";
