import { describe, expect, it } from "vitest";
import {
  cataloguePrice,
  costUsd,
  isLocalEndpoint,
  priceOf,
  priceTable,
  resolvePrices,
  UnknownModelPriceError,
} from "../../src/core/prices.js";

describe("model prices", () => {
  it("prices models from the packaged catalogue, dated snapshots and reasoning models included", () => {
    expect(cataloguePrice("gpt-4o-mini")).toEqual({ input_per_mtok: 0.15, output_per_mtok: 0.6 });
    expect(cataloguePrice("gpt-4o-mini-2024-07-18")).toEqual({ input_per_mtok: 0.15, output_per_mtok: 0.6 });
    expect(cataloguePrice("o4-mini")?.output_per_mtok).toBeCloseTo(4.4, 10);
    expect(cataloguePrice("sim-student")).toBeNull();
  });

  it("tells a local or private endpoint from a remote one", () => {
    for (const url of [
      "http://localhost:11434/v1",
      "http://127.0.0.1:8000/v1",
      "http://10.0.0.5/v1",
      "http://192.168.1.20:8080/v1",
      "http://172.20.0.3/v1",
      "http://[::1]:8000/v1",
      "http://gpu-box.local/v1",
      "http://host.docker.internal:11434/v1",
    ])
      expect(isLocalEndpoint(url), url).toBe(true);
    for (const url of [
      "https://api.openai.com/v1",
      "https://172.32.0.1/v1",
      "https://llm.example.com/v1",
      undefined,
    ])
      expect(isLocalEndpoint(url), String(url)).toBe(false);
  });

  it("resolves the task's prices first, then the catalogue, then $0 for a local model; else unknown", () => {
    const own = { "gpt-4o": { input_per_mtok: 1, output_per_mtok: 1 } };
    const local = resolvePrices(["gpt-4o", "gpt-4o-mini", "llama3.1:8b"], own, "http://localhost:11434/v1");
    expect(local.sources).toEqual({ "gpt-4o": "task", "gpt-4o-mini": "catalogue", "llama3.1:8b": "local" });
    expect(local.prices["llama3.1:8b"]).toEqual({ input_per_mtok: 0, output_per_mtok: 0 });
    const remote = resolvePrices(["gpt-4o", "llama3.1:8b", "acme-x"], own, "https://api.acme.example/v1");
    expect(remote.unknown).toEqual(["llama3.1:8b", "acme-x"]);
    expect(new UnknownModelPriceError(remote.unknown).message).toContain(
      'model_prices:\n  "llama3.1:8b": { input_per_mtok: 0.5, output_per_mtok: 1.5 }\n  acme-x: { input_per_mtok: 0.5, output_per_mtok: 1.5 }',
    );
  });

  it("prices a call from the catalogue", () => {
    expect(costUsd("gpt-4o-mini", { input: 1_000, output: 200 }, priceTable(null))).toBeCloseTo(0.00027, 10);
  });

  it("lets a task's model_prices override and extend the table", () => {
    const prices = priceTable({
      "gpt-4o-mini": { input_per_mtok: 1, output_per_mtok: 2 },
      "my-model": { input_per_mtok: 3, output_per_mtok: 4 },
    });
    expect(costUsd("gpt-4o-mini", { input: 1_000_000, output: 1_000_000 }, prices)).toBe(3);
    expect(costUsd("my-model", { input: 500_000, output: 0 }, prices)).toBe(1.5);
  });

  it("refuses an unknown model with a message naming the model and model_prices", () => {
    expect(() => priceOf("mystery-1", priceTable(null))).toThrow(UnknownModelPriceError);
    expect(() => priceOf("mystery-1", priceTable(null))).toThrow(/"mystery-1".*model_prices/s);
  });
});
