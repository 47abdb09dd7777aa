/**
 * What the optimizer asks of a language model, independent of the SDK that carries it.
 * The gateway (gateway.ts) implements it over the `openai` SDK with concurrency limits,
 * retries, a response cache and budget enforcement; tests and the bench reach a fake
 * OpenAI-compatible server through the same gateway.
 */

/** Why a call is made: the report and the budget account for each role separately. */
export type CallRole = "student" | "judge" | "teacher";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface CompletionRequest {
  role: CallRole;
  model: string;
  messages: readonly ChatMessage[];
  /** Upper bound on the answer's tokens; also what the budget reserves for it. */
  maxTokens: number;
  temperature?: number;
  /** Passed to the model for reproducibility, and part of the cache key. */
  seed?: number;
  /** Ask for a JSON object answer (`response_format: json_object`). */
  json?: boolean;
  /**
   * Ask for structured output against this JSON schema (`response_format: json_schema`, strict);
   * the gateway falls back to `json_object`, then to plain text, where a server refuses it.
   */
  schema?: { name: string; schema: Record<string, unknown> };
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface CompletionResult {
  text: string;
  usage: Usage;
  /** Dollars this call cost now: 0 when served from the cache. */
  costUsd: number;
  cached: boolean;
}

export interface LlmGateway {
  /**
   * @throws BudgetExceededError when the call's worst-case cost would cross the budget
   *   (nothing is sent); LlmCallError when the model keeps failing after retries.
   */
  complete(request: CompletionRequest): Promise<CompletionResult>;
}
