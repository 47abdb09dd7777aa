/**
 * What each model accepts, so every OpenAI-compatible server can be reached: OpenAI's reasoning
 * models (o-series, gpt-5 family) take `max_completion_tokens` and only the default temperature;
 * servers differ in which `response_format` they honour. The gateway starts from what the name
 * implies, learns from a 400 that names an unsupported parameter or value (once per model and
 * parameter), and remembers it for the run.
 */
import OpenAI from "openai";

export type StructuredMode = "json_schema" | "json_object" | "text";

export interface ModelParams {
  tokenParam: "max_tokens" | "max_completion_tokens";
  /** False when only the server's default temperature is accepted. */
  temperature: boolean;
  seed: boolean;
  /** The best structured-output mode the server honours; downgraded on refusal. */
  structured: StructuredMode;
}

/** o1, o3, o4-mini, gpt-5, gpt-5-mini… with or without a provider prefix (`openai/o3`). */
export function isReasoningModel(model: string): boolean {
  return /^(?:[\w-]+\/)?(?:o\d|gpt-5)/i.test(model);
}

/**
 * Room for a reasoning model's hidden reasoning: its completion limit counts those tokens too, so
 * the answer's own limit alone would leave it empty.
 */
export const REASONING_ALLOWANCE = 2_000;

export function initialParams(model: string): ModelParams {
  const reasoning = isReasoningModel(model);
  return {
    tokenParam: reasoning ? "max_completion_tokens" : "max_tokens",
    temperature: !reasoning,
    seed: true,
    structured: "json_schema",
  };
}

/**
 * What to change after a 400, or null when the error is not about a parameter we can drop.
 * Reads OpenAI's `param` and `code`, and falls back on the message for servers that only say it.
 */
export function learnFromRefusal(
  params: ModelParams,
  error: unknown,
): { next: ModelParams; learned: string } | null {
  if (!(error instanceof OpenAI.BadRequestError)) return null;
  const code = String(error.code ?? "");
  const param = String(error.param ?? "");
  const message = String(error.message ?? "").toLowerCase();
  const about = (name: string) =>
    param === name || param.startsWith(`${name}.`) || (!param && message.includes(name));
  const unsupported =
    code === "unsupported_parameter" ||
    code === "unsupported_value" ||
    code === "invalid_parameter" ||
    /unsupported|not supported|invalid|unknown|unrecognized/.test(message);
  if (!unsupported) return null;
  if (about("max_tokens") && params.tokenParam === "max_tokens")
    return {
      next: { ...params, tokenParam: "max_completion_tokens" },
      learned: "max_completion_tokens instead of max_tokens",
    };
  if (about("max_completion_tokens") && params.tokenParam === "max_completion_tokens")
    return {
      next: { ...params, tokenParam: "max_tokens" },
      learned: "max_tokens instead of max_completion_tokens",
    };
  if (about("temperature") && params.temperature)
    return { next: { ...params, temperature: false }, learned: "only the default temperature" };
  if (about("seed") && params.seed) return { next: { ...params, seed: false }, learned: "no seed" };
  if ((about("response_format") || message.includes("json_schema")) && params.structured !== "text") {
    const structured = params.structured === "json_schema" ? "json_object" : "text";
    return {
      next: { ...params, structured },
      learned: structured === "json_object" ? "json_object instead of a JSON schema" : "no response_format",
    };
  }
  return null;
}

/**
 * The JSON object in a model's answer: the whole text, else the inside of a ``` fence, else the
 * outermost braces. Null when there is none.
 * @example extractJson('Sure:\n```json\n{"a": 1}\n```') // { a: 1 }
 */
export function extractJson(text: string): Record<string, unknown> | null {
  const attempts = [
    text.trim(),
    ...[...text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)].map((m) => m[1]!.trim()),
    /\{[\s\S]*\}/.exec(text)?.[0] ?? "",
  ];
  for (const attempt of attempts) {
    if (!attempt.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(attempt);
      if (value && typeof value === "object" && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // the next way of reading it
    }
  }
  return null;
}
