/**
 * A deterministic fake of an OpenAI-compatible endpoint, over real HTTP, for the real `openai`
 * SDK to talk to: chat completions (plain and streamed, with usage), the responses API and the
 * model list. What each model answers is a pluggable "brain"; latency, 429 storms and failures
 * can be switched on. It records every request and the most requests it had in flight at once.
 *
 * It is as strict as the servers it stands for (see `ModelBehaviour`): reasoning models (o-series,
 * gpt-5 family) refuse `max_tokens` and any non-default `temperature` with OpenAI's 400; structured
 * output is honoured, downgraded or refused per model; a model may wrap answers in code fences or
 * leave `usage` out, as real servers do.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens, loadTokenizer } from "../../../src/optimizer/llm/tokens.js";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  seed?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  stream?: boolean;
}

/** How one model's server behaves, beyond what it answers. */
export interface ModelBehaviour {
  /** OpenAI's reasoning-model rules: 400 to `max_tokens` and to a `temperature` other than 1. */
  reasoning: boolean;
  /**
   * The most structured output it honours: `json_schema` (OpenAI, vLLM, Ollama), `json_object`
   * only (400 to a JSON schema), or `none` (400 to any `response_format`).
   */
  structured: "json_schema" | "json_object" | "none";
  /** Every n-th answer not constrained by a JSON schema comes wrapped in a ```json fence (0: never). */
  fenceEvery: number;
  /** Every n-th response leaves `usage` out (0: never). */
  omitUsageEvery: number;
}

/** OpenAI's reasoning models: o1, o3, o4-mini…, the gpt-5 family (a provider prefix allowed). */
export const isReasoningModelName = (model: string) => /^(?:[\w-]+\/)?(?:o\d|gpt-5)/i.test(model);

const defaultBehaviour = (model: string): ModelBehaviour => ({
  reasoning: isReasoningModelName(model),
  structured: "json_schema",
  fenceEvery: 0,
  omitUsageEvery: 0,
});

/** The first JSON object in a text (inside a fence or prose), as a strict-schema server would answer it. */
function jsonOnly(text: string): string {
  const candidate = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1] ?? /\{[\s\S]*\}/.exec(text)?.[0] ?? text;
  try {
    return JSON.stringify(JSON.parse(candidate));
  } catch {
    return text;
  }
}

const badRequest = (message: string, param: string, code: string) => ({
  error: { message, type: "invalid_request_error", param, code },
});

export type Brain = (request: ChatRequest) => string;

/** The default answer: a hash of the request, so the same request always gets the same answer. */
export const hashBrain: Brain = (request) =>
  `answer-${createHash("sha256")
    .update(JSON.stringify([request.model, request.messages, request.seed ?? null]))
    .digest("hex")
    .slice(0, 12)}`;

export class FakeOpenAI {
  readonly requests: ChatRequest[] = [];
  readonly callsByModel = new Map<string, number>();
  latencyMs = 0;
  maxInFlight = 0;
  #inFlight = 0;
  #brains = new Map<string, Brain>();
  #behaviours = new Map<string, Partial<ModelBehaviour>>();
  #answered = new Map<string, number>();
  /** Requests refused with a 400, by the parameter refused. */
  readonly refusals: { model: string; param: string }[] = [];
  #rateLimited = 0;
  #retryAfterMs = 50;
  #failures = 0;
  #failAfter: number | null = null;
  #server: Server;
  #url = "";

  private constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  static async start(): Promise<FakeOpenAI> {
    await loadTokenizer();
    const fake = new FakeOpenAI();
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}/v1`;
    return fake;
  }

  /** The `baseURL` for the openai SDK. */
  get baseURL(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  brain(model: string, brain: Brain): void {
    this.#brains.set(model, brain);
  }

  /** Changes how a model's server behaves (see ModelBehaviour); unset fields keep the defaults. */
  behave(model: string, behaviour: Partial<ModelBehaviour>): void {
    this.#behaviours.set(model, { ...this.#behaviours.get(model), ...behaviour });
  }

  behaviourOf(model: string): ModelBehaviour {
    return { ...defaultBehaviour(model), ...this.#behaviours.get(model) };
  }

  /** Why a real server would answer 400 to this request, or null. */
  #refusal(body: ChatRequest): { param: string; body: unknown } | null {
    const b = this.behaviourOf(body.model);
    if (b.reasoning && body.max_tokens !== undefined)
      return {
        param: "max_tokens",
        body: badRequest(
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          "max_tokens",
          "unsupported_parameter",
        ),
      };
    if (b.reasoning && body.temperature !== undefined && body.temperature !== 1)
      return {
        param: "temperature",
        body: badRequest(
          `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
          "temperature",
          "unsupported_value",
        ),
      };
    const format = body.response_format?.type;
    if (format && format !== "text") {
      if (b.structured === "none" || (b.structured === "json_object" && format === "json_schema"))
        return {
          param: "response_format",
          body: badRequest(
            `Invalid parameter: 'response_format' of type '${format}' is not supported with this model.`,
            "response_format",
            "invalid_parameter",
          ),
        };
      if (format === "json_schema" && !body.response_format?.json_schema?.schema)
        return {
          param: "response_format",
          body: badRequest(
            "Missing required parameter: 'response_format.json_schema'.",
            "response_format.json_schema",
            "missing_required_parameter",
          ),
        };
    }
    return null;
  }

  /** The next `count` requests get 429 with Retry-After (in ms, and whole seconds). */
  rateLimitNext(count: number, retryAfterMs = 50): void {
    this.#rateLimited = count;
    this.#retryAfterMs = retryAfterMs;
  }

  /** The next `count` requests get a 500. */
  failNext(count: number): void {
    this.#failures = count;
  }

  /** Every request after the first `calls` ones fails with a 500: a model going down mid-run. */
  failAfter(calls: number | null): void {
    this.#failAfter = calls;
  }

  get calls(): number {
    return this.requests.length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (!/^Bearer \S+/.test(req.headers.authorization ?? ""))
      return send(401, {
        error: {
          message: "Incorrect API key provided",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname === "/v1/models")
      return send(200, {
        object: "list",
        data: [...this.#brains.keys()].map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })),
      });

    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest & {
        input?: unknown;
        instructions?: string;
      };
      if (this.#rateLimited > 0) {
        this.#rateLimited--;
        return send(
          429,
          { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
          {
            "retry-after-ms": String(this.#retryAfterMs),
            "retry-after": String(Math.ceil(this.#retryAfterMs / 1000)),
          },
        );
      }
      if (this.#failures > 0 || (this.#failAfter !== null && this.requests.length >= this.#failAfter)) {
        if (this.#failures > 0) this.#failures--;
        return send(500, {
          error: { message: "The server had an error while processing your request", type: "server_error" },
        });
      }
      if (url.pathname === "/v1/responses") return this.#responses(body, send, res);
      if (url.pathname !== "/v1/chat/completions")
        return send(404, { error: { message: `no route ${url.pathname}` } });
      const refused = this.#refusal(body);
      if (refused) {
        this.refusals.push({ model: body.model, param: refused.param });
        return send(400, refused.body);
      }
      this.requests.push(body);
      this.callsByModel.set(body.model, (this.callsByModel.get(body.model) ?? 0) + 1);
      const behaviour = this.behaviourOf(body.model);
      const answered = (this.#answered.get(body.model) ?? 0) + 1;
      this.#answered.set(body.model, answered);
      const raw = (this.#brains.get(body.model) ?? hashBrain)(body);
      const content =
        body.response_format?.type === "json_schema"
          ? jsonOnly(raw)
          : behaviour.fenceEvery > 0 && answered % behaviour.fenceEvery === 0
            ? `Here is the answer:\n\n\`\`\`json\n${raw}\n\`\`\``
            : raw;
      const withoutUsage = behaviour.omitUsageEvery > 0 && answered % behaviour.omitUsageEvery === 0;
      const usage = {
        prompt_tokens: body.messages.reduce((s, m) => s + countTokens(m.content) + 4, 3),
        completion_tokens: countTokens(content),
      };
      const id = `chatcmpl-${createHash("sha1")
        .update(content + this.requests.length)
        .digest("hex")
        .slice(0, 16)}`;
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const chunk = (delta: object, finish: string | null, extra: object = {}) =>
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
        const words = content.split(/(?<= )/);
        res.write(chunk({ role: "assistant", content: "" }, null));
        for (const word of words) res.write(chunk({ content: word }, null));
        res.write(chunk({}, "stop"));
        const withUsage = (body as { stream_options?: { include_usage?: boolean } }).stream_options
          ?.include_usage;
        if (withUsage)
          res.write(
            `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model: body.model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}\n\n`,
          );
        res.end("data: [DONE]\n\n");
        return;
      }
      send(200, {
        id,
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content, refusal: null },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        ...(withoutUsage
          ? {}
          : { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
      });
    } finally {
      this.#inFlight--;
    }
  }

  #responses(
    body: { model: string; input?: unknown; instructions?: string; stream?: boolean },
    send: (status: number, body: unknown) => void,
    res: ServerResponse,
  ): void {
    const text = typeof body.input === "string" ? body.input : JSON.stringify(body.input);
    const request: ChatRequest = {
      model: body.model,
      messages: [
        ...(body.instructions ? [{ role: "system", content: body.instructions }] : []),
        { role: "user", content: text },
      ],
    };
    this.requests.push(request);
    this.callsByModel.set(body.model, (this.callsByModel.get(body.model) ?? 0) + 1);
    const content = (this.#brains.get(body.model) ?? hashBrain)(request);
    const input = countTokens(text);
    const output = countTokens(content);
    const response = {
      id: `resp_${this.requests.length}`,
      object: "response",
      created_at: 1,
      status: "completed",
      model: body.model,
      output: [
        {
          type: "message",
          id: `msg_${this.requests.length}`,
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: content, annotations: [] }],
        },
      ],
      output_text: content,
      usage: { input_tokens: input, output_tokens: output, total_tokens: input + output },
    };
    if (!body.stream) return send(200, response);
    // Streamed as OpenAI streams the responses API: typed events, text in output_text deltas.
    res.writeHead(200, { "content-type": "text/event-stream" });
    let sequence = 0;
    const event = (type: string, data: object) =>
      res.write(
        `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`,
      );
    event("response.created", { response: { ...response, status: "in_progress", output: [], usage: null } });
    for (const delta of content.split(/(?<= )/))
      event("response.output_text.delta", {
        item_id: `msg_${this.requests.length}`,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      });
    event("response.completed", { response });
    res.end();
  }
}
