/** The optimizer's errors: a budget that would be crossed, a model that keeps failing. */
import { KaizenError } from "../core/errors.js";

/** A call's worst-case cost would cross the budget: it was never sent. */
export class BudgetExceededError extends KaizenError {
  override name = "BudgetExceededError";
  constructor(
    readonly neededUsd: number,
    readonly remainingUsd: number,
  ) {
    super(
      `budget reached: this call could cost up to $${neededUsd.toFixed(6)} and $${remainingUsd.toFixed(6)} remain`,
    );
  }
}

/** A model call failed after its retries; never carries the API key. */
export class LlmCallError extends KaizenError {
  override name = "LlmCallError";
  constructor(
    readonly model: string,
    readonly status: number | null,
    readonly attempts: number,
    detail: string,
  ) {
    super(
      `model ${model} failed after ${attempts} attempt(s)${status !== null ? ` (HTTP ${status})` : ""}: ${detail}`,
    );
  }
}

/** No model endpoint is configured: says exactly what to set. */
export class MissingModelEndpointError extends KaizenError {
  override name = "MissingModelEndpointError";
  constructor() {
    super(
      "no model endpoint is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server other than OpenAI's), e.g.\n  export OPENAI_API_KEY=sk-...\n  export OPENAI_BASE_URL=http://localhost:11434/v1",
    );
  }
}
