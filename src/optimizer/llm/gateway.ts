/**
 * Every model call of the optimizer goes through here: the response cache first (a hit costs
 * nothing and sends nothing), then a worst-case reservation in the budget (a call that could
 * cross it is never sent), a concurrency limit, retries that honour Retry-After on 429 and back
 * off on 5xx and network errors, and settlement of the real cost from the response's usage (or,
 * when a server leaves usage out, from counting the tokens). The parameters each model accepts
 * are learned once per run (model-params.ts).
 */
import OpenAI from "openai";
import { costUsd, type PriceTable } from "../../core/prices.js";
import type { Budget } from "../budget.js";
import { KaizenError } from "../../core/errors.js";
import { LlmCallError, MissingModelEndpointError } from "../errors.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import { initialParams, learnFromRefusal, REASONING_ALLOWANCE, type ModelParams } from "./model-params.js";
import { countMessageTokens, countTokens, loadTokenizer } from "./tokens.js";
import type { CompletionRequest, CompletionResult, LlmGateway } from "./types.js";

export interface GatewayOptions {
  apiKey: string;
  baseURL?: string;
  prices: PriceTable;
  budget: Budget;
  cache: ResponseCache;
  /** Requests in flight at most. */
  concurrency?: number;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** Base of the exponential backoff on 5xx and network errors (ms). */
  backoffMs?: number;
  onCall?: (event: { request: CompletionRequest; result: CompletionResult }) => void;
}

export interface GatewayStats {
  calls: number;
  cacheHits: number;
  retries: number;
  maxInFlight: number;
  /** Time-weighted mean of requests in flight while any was: the parallelism achieved. */
  meanInFlight: number;
  /** Responses without `usage`, whose tokens were counted here instead. */
  usageMissing: number;
  /** What was learned from 400s, e.g. `o3-mini: max_completion_tokens instead of max_tokens`. */
  learned: string[];
}

/**
 * Reservations count the input at this multiple of our own token count: a provider's tokenizer
 * may count more than o200k_base does, and the cap must hold anyway.
 */
export const INPUT_TOKEN_MARGIN = 1.25;

/** The endpoint from the environment, or the exact variables to set. */
export function endpointFromEnv(env: NodeJS.ProcessEnv): { apiKey: string; baseURL?: string } {
  if (!env.OPENAI_API_KEY) throw new MissingModelEndpointError();
  return { apiKey: env.OPENAI_API_KEY, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) };
}

/** Base of the backoff between attempts of a failed model call when nothing else says (ms). */
export const DEFAULT_BACKOFF_MS = 500;

/**
 * The retry timing from the environment: KAIZEN_MODEL_RETRY_BACKOFF_MS sets the backoff's base
 * (tests against an endpoint that refuses, impatient operators); the surfaces pass their
 * environment in, as they do for the job timing.
 *
 * @example retryFromEnv({ KAIZEN_MODEL_RETRY_BACKOFF_MS: "5" }) // { backoffMs: 5 }
 */
export function retryFromEnv(env: NodeJS.ProcessEnv): { backoffMs?: number } {
  const raw = env.KAIZEN_MODEL_RETRY_BACKOFF_MS;
  if (raw === undefined || raw.trim() === "") return {};
  const backoffMs = Number(raw);
  if (!Number.isFinite(backoffMs) || backoffMs < 0)
    throw new KaizenError(
      `KAIZEN_MODEL_RETRY_BACKOFF_MS must be a number of milliseconds, 0 or more; it is "${raw}"`,
    );
  return { backoffMs };
}

export class OpenAIGateway implements LlmGateway {
  readonly stats: GatewayStats = {
    calls: 0,
    cacheHits: 0,
    retries: 0,
    maxInFlight: 0,
    meanInFlight: 0,
    usageMissing: 0,
    learned: [],
  };
  #params = new Map<string, ModelParams>();
  #busyMs = 0;
  #weightedMs = 0;
  #since = 0;
  #client: OpenAI;
  #options: GatewayOptions;
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  /** Set by the phase that owns the budget's floor (the final test). */
  spendFloor = false;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: 0,
      timeout: 120_000,
    });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    await loadTokenizer();
    const key = cacheKey(request);
    const cached = await this.#options.cache.get(key);
    if (cached) {
      this.stats.cacheHits++;
      const result = { text: cached.text, usage: cached.usage, costUsd: 0, cached: true };
      this.#options.onCall?.({ request, result });
      return result;
    }
    const worstCase = costUsd(
      request.model,
      {
        input: countMessageTokens(request.messages) * INPUT_TOKEN_MARGIN,
        output: this.#tokenLimit(request, this.#paramsOf(request.model)),
      },
      this.#options.prices,
    );
    const reservation = this.#options.budget.reserve(worstCase, this.spendFloor);
    await this.#acquire();
    try {
      const { text, usage } = await this.#send(request);
      const usd = costUsd(
        request.model,
        { input: usage.promptTokens, output: usage.completionTokens },
        this.#options.prices,
      );
      this.#options.budget.settle(reservation, {
        usd,
        role: request.role,
        model: request.model,
        inputTokens: usage.promptTokens,
        outputTokens: usage.completionTokens,
      });
      await this.#options.cache.set(key, { text, usage });
      this.stats.calls++;
      const result = { text, usage, costUsd: usd, cached: false };
      this.#options.onCall?.({ request, result });
      return result;
    } catch (error) {
      this.#options.budget.release(reservation);
      throw error;
    } finally {
      this.#release();
    }
  }

  #paramsOf(model: string): ModelParams {
    return this.#params.get(model) ?? initialParams(model);
  }

  /** A reasoning model's limit counts its hidden reasoning too: it gets room for it. */
  #tokenLimit(request: CompletionRequest, params: ModelParams): number {
    return request.maxTokens + (params.tokenParam === "max_completion_tokens" ? REASONING_ALLOWANCE : 0);
  }

  #body(request: CompletionRequest, params: ModelParams) {
    const format = request.schema
      ? params.structured === "json_schema"
        ? {
            type: "json_schema" as const,
            json_schema: { name: request.schema.name, strict: true, schema: request.schema.schema },
          }
        : params.structured === "json_object"
          ? { type: "json_object" as const }
          : null
      : request.json && params.structured !== "text"
        ? { type: "json_object" as const }
        : null;
    return {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      [params.tokenParam]: this.#tokenLimit(request, params),
      ...(request.temperature !== undefined && params.temperature
        ? { temperature: request.temperature }
        : {}),
      ...(request.seed !== undefined && params.seed ? { seed: request.seed } : {}),
      ...(format ? { response_format: format } : {}),
    };
  }

  async #send(
    request: CompletionRequest,
  ): Promise<{ text: string; usage: { promptTokens: number; completionTokens: number } }> {
    const maxAttempts = this.#options.maxAttempts ?? 6;
    let lessons = 0;
    for (let attempt = 1; ; attempt++) {
      const params = this.#paramsOf(request.model);
      try {
        const response = await this.#client.chat.completions.create(
          this.#body(request, params) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
        );
        const text = response.choices[0]?.message?.content ?? "";
        if (!response.usage) this.stats.usageMissing++;
        return {
          text,
          usage: {
            promptTokens: response.usage?.prompt_tokens ?? countMessageTokens(request.messages),
            completionTokens: response.usage?.completion_tokens ?? countTokens(text),
          },
        };
      } catch (error) {
        // A 400 naming a parameter this model refuses: drop or change it, remember, resend.
        const lesson = lessons < 4 ? learnFromRefusal(params, error) : null;
        if (lesson) {
          lessons++;
          this.#params.set(request.model, lesson.next);
          const note = `${request.model}: ${lesson.learned}`;
          if (!this.stats.learned.includes(note)) this.stats.learned.push(note);
          attempt--;
          continue;
        }
        if (!isRetryable(error) || attempt >= maxAttempts)
          throw new LlmCallError(
            request.model,
            statusOf(error),
            attempt,
            error instanceof Error ? error.message : String(error),
          );
        this.stats.retries++;
        await new Promise((resolve) => setTimeout(resolve, this.#waitBefore(error, attempt)));
      }
    }
  }

  /** Retry-After (ms or seconds) when the server says it; exponential backoff with jitter otherwise. */
  #waitBefore(error: unknown, attempt: number): number {
    // `instanceof` on the generic class narrows to APIError<any, any>: name the type it really has.
    const headers = error instanceof OpenAI.APIError ? (error.headers as Headers | undefined) : undefined;
    const ms = Number(headers?.get?.("retry-after-ms"));
    if (Number.isFinite(ms) && ms > 0) return ms;
    const seconds = Number(headers?.get?.("retry-after"));
    if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
    const base = this.#options.backoffMs ?? DEFAULT_BACKOFF_MS;
    return base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
  }

  /** Accounts the time spent at the current level of parallelism before it changes. */
  #tick(): void {
    const now = performance.now();
    if (this.#inFlight > 0) {
      this.#busyMs += now - this.#since;
      this.#weightedMs += (now - this.#since) * this.#inFlight;
      this.stats.meanInFlight = this.#weightedMs / this.#busyMs;
    }
    this.#since = now;
  }

  async #acquire(): Promise<void> {
    if (this.#inFlight < (this.#options.concurrency ?? 8)) {
      this.#tick();
      this.#inFlight++;
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.#inFlight);
      return;
    }
    // The releasing call hands its slot over directly, so the limit can never be overrun.
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else {
      this.#tick();
      this.#inFlight--;
    }
  }
}

/** Worth another attempt: no answer at all, too many requests, or the server's own failure. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError)) return true;
  return (
    error instanceof OpenAI.APIConnectionError ||
    error instanceof OpenAI.RateLimitError ||
    error instanceof OpenAI.InternalServerError
  );
}

function statusOf(error: unknown): number | null {
  return error instanceof OpenAI.APIError ? ((error.status as number | undefined) ?? null) : null;
}
