/**
 * Calls and tokens counted where they are served: every brain of the fake server is wrapped, so
 * Kaizen and Ax are counted and priced the same way whatever their own accounting says (tokens
 * as the fake server reports them in `usage`; cache hits never reach the server and cost nothing).
 */
import { costUsd, type PriceTable } from "../../src/core/prices.js";
import { countTokens } from "../../src/optimizer/llm/tokens.js";
import type { Brain, ChatRequest, FakeOpenAI } from "../../test/fakes/openai/server.js";

export interface ModelCount {
  calls: number;
  input: number;
  output: number;
}

export class ServerMeter {
  #counts = new Map<string, ModelCount>();

  /** Registers `brain` for `model` on the fake server, counted by this meter. */
  brain(fake: FakeOpenAI, model: string, brain: Brain): void {
    fake.brain(model, (request: ChatRequest) => {
      const answer = brain(request);
      const count = this.#counts.get(model) ?? { calls: 0, input: 0, output: 0 };
      count.calls++;
      count.input += request.messages.reduce((s, m) => s + countTokens(m.content) + 4, 3);
      count.output += countTokens(answer);
      this.#counts.set(model, count);
      return answer;
    });
  }

  reset(): void {
    this.#counts.clear();
  }

  snapshot(): Map<string, ModelCount> {
    return new Map([...this.#counts].map(([model, c]) => [model, { ...c }]));
  }

  static usd(counts: Map<string, ModelCount>, prices: PriceTable): number {
    let usd = 0;
    for (const [model, c] of counts) usd += costUsd(model, { input: c.input, output: c.output }, prices);
    return usd;
  }
}
