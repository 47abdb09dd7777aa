/**
 * What model calls cost, in USD per million tokens, from three sources in this order:
 *
 *   1. the task's own `model_prices` (always wins);
 *   2. the catalogue of `@pydantic/genai-prices`, which ships its data inside the package (no
 *      fetch at run time) and is updated with each release;
 *   3. $0 for a model served from this machine or a private network (Ollama, vLLM, a local
 *      proxy) that the catalogue does not know: nobody bills for it.
 *
 * A remote model none of these prices is refused before any call, every such model named at
 * once with the YAML to add (docs/decisions.md says why this catalogue).
 */
import { calcPrice, findProvider } from "@pydantic/genai-prices";
import { KaizenError } from "./errors.js";
import { closestName, editDistance } from "./suggest.js";

export interface ModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Where a model's price came from: shown in the plan so people can check it. */
export type PriceSource = "task" | "catalogue" | "local";

export interface ResolvedPrices {
  /** A price for every model that has one. */
  prices: PriceTable;
  sources: Readonly<Record<string, PriceSource>>;
  /** Remote models with no known price: the run must be refused. */
  unknown: string[];
}

export class UnknownModelPriceError extends KaizenError {
  override name = "UnknownModelPriceError";
  readonly models: string[];
  constructor(models: string | readonly string[]) {
    const list = typeof models === "string" ? [models] : [...models];
    super(
      `no price known for ${list.length === 1 ? "model" : "models"} ${list.map((m) => `"${m}"`).join(", ")} (not in the price catalogue, and not served from this machine or a private network): nothing was called. Add ${list.length === 1 ? "its price" : "their prices"} to the task file's model_prices (USD per million tokens, from your provider's price list), e.g.\n${modelPricesYaml(list)}`,
    );
    this.models = list;
  }
}

/** The exact YAML that prices `models` in a task file (placeholder prices to replace). */
export function modelPricesYaml(models: readonly string[]): string {
  return [
    "model_prices:",
    ...models.map(
      (m) =>
        `  ${/^[\w.-]+$/.test(m) ? m : JSON.stringify(m)}: { input_per_mtok: 0.5, output_per_mtok: 1.5 }`,
    ),
  ].join("\n");
}

/**
 * The catalogue's price of a model, or null. Priced on 1,000 tokens, not a million, so that a
 * model with long-context tiers is priced at the ordinary request size.
 */
export function cataloguePrice(model: string, baseURL?: string): ModelPrice | null {
  const at = (options: { providerApiUrl?: string }) => {
    try {
      const input = calcPrice({ input_tokens: 1_000, output_tokens: 0 }, model, options);
      const output = calcPrice({ input_tokens: 0, output_tokens: 1_000 }, model, options);
      if (!input || !output) return null;
      return { input_per_mtok: input.total_price * 1_000, output_per_mtok: output.total_price * 1_000 };
    } catch {
      return null;
    }
  };
  return (baseURL ? at({ providerApiUrl: baseURL }) : null) ?? at({});
}

/**
 * True when `baseURL` points at this machine or a private address (RFC 1918, link-local,
 * unique-local IPv6, `.local`, `host.docker.internal`): a self-hosted server.
 * @example isLocalEndpoint("http://localhost:11434/v1") // true
 */
export function isLocalEndpoint(baseURL: string | undefined): boolean {
  if (!baseURL) return false;
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return false;
  }
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return true;
  if (host === "host.docker.internal" || host === "0.0.0.0" || host === "::1" || host === "::") return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
}

/** Prices for the models of a run; see the module comment for the order. */
export function resolvePrices(
  models: readonly string[],
  overrides: PriceTable | null | undefined,
  baseURL?: string,
): ResolvedPrices {
  // Keyed by model names people write: no prototype, so a model named `constructor` is no price.
  const prices: Record<string, ModelPrice> = Object.create(null) as Record<string, ModelPrice>;
  const sources: Record<string, PriceSource> = Object.create(null) as Record<string, PriceSource>;
  const unknown: string[] = [];
  for (const model of new Set(models)) {
    const own = overrides && Object.hasOwn(overrides, model) ? overrides[model] : undefined;
    const catalogue = own ? null : cataloguePrice(model, baseURL);
    if (own) [prices[model], sources[model]] = [own, "task"];
    else if (catalogue) [prices[model], sources[model]] = [catalogue, "catalogue"];
    else if (isLocalEndpoint(baseURL))
      [prices[model], sources[model]] = [{ input_per_mtok: 0, output_per_mtok: 0 }, "local"];
    else unknown.push(model);
  }
  return { prices, sources, unknown };
}

/**
 * The catalogue with a task's overrides on top, for callers that price models one by one.
 * Models neither knows are missing (priceOf throws for them).
 */
export function priceTable(
  overrides: PriceTable | null | undefined,
  models: readonly string[] = [],
): PriceTable {
  return resolvePrices([...models, ...Object.keys(overrides ?? {})], overrides).prices;
}

/** @throws UnknownModelPriceError */
export function priceOf(model: string, prices: PriceTable): ModelPrice {
  const price = (Object.hasOwn(prices, model) ? prices[model] : undefined) ?? cataloguePrice(model);
  if (!price) throw new UnknownModelPriceError(model);
  return price;
}

/**
 * @example costUsd("gpt-4o-mini", { input: 1_000, output: 200 }, priceTable(null)) // 0.00027
 */
export function costUsd(
  model: string,
  tokens: { input: number; output: number },
  prices: PriceTable,
): number {
  const price = priceOf(model, prices);
  return (tokens.input * price.input_per_mtok + tokens.output * price.output_per_mtok) / 1_000_000;
}

/** A line per model for the plan: its price and where it came from. */
export function describePrices(resolved: ResolvedPrices, baseURL?: string): string[] {
  const lines: string[] = [];
  for (const [model, source] of Object.entries(resolved.sources)) {
    const p = resolved.prices[model]!;
    if (source === "local")
      lines.push(
        `${model}: $0 (served from ${baseURL ? new URL(baseURL).host : "this machine"}, a local or private address, and not in the price catalogue)`,
      );
    else
      lines.push(
        `${model}: $${p.input_per_mtok} in / $${p.output_per_mtok} out per million tokens (${source === "task" ? "the task's model_prices" : "price catalogue"})`,
      );
  }
  for (const model of resolved.unknown) lines.push(`${model}: no known price (add it to model_prices)`);
  return lines;
}

/** The providers whose model names a typo is checked against: the ones a task names most. */
const SUGGESTION_PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "mistral",
  "deepseek",
  "groq",
  "x-ai",
  "cohere",
];
let catalogueNames: string[] | null = null;

/**
 * The catalogue's model name one edit from `model`, for "did you mean" on a model with no price
 * (`gpt-4o-mimi` → `gpt-4o-mini`), or null when none is that near.
 */
export function suggestModel(model: string): string | null {
  catalogueNames ??= [
    ...new Set(
      SUGGESTION_PROVIDERS.flatMap((id) => findProvider({ providerId: id })?.models.map((m) => m.id) ?? []),
    ),
  ];
  // One edit at most: a wrong guess ("magistral-small" for Mistral's own "mistral-small", which
  // the catalogue lacks) misleads more than no guess.
  const meant = closestName(model, catalogueNames);
  return meant !== null && editDistance(model, meant) <= 1 ? meant : null;
}
