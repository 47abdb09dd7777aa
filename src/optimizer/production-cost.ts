/**
 * What a prompt costs in production, per call: the student's input tokens (the template filled
 * with each held-out record's inputs, as the application sends it), the tokens it answers with
 * under that prompt, and US dollars per 1,000 calls at the student's price. The report sets the
 * candidate's figures beside the active prompt's, since a prompt that quotes examples is paid for
 * on every call, long after the optimization.
 */
import { costUsd, type PriceTable } from "../core/prices.js";
import type { Example } from "./dataset.js";
import { countMessageTokens, countTokens } from "./llm/tokens.js";
import { studentMessages, type ModuleType } from "./prompts.js";

export interface CallCost {
  inputTokens: number;
  outputTokens: number;
  /** Null when the student has no known price. */
  usdPer1000: number | null;
}

export interface ProductionCost {
  model: string;
  before: CallCost;
  after: CallCost;
}

export function callCost(
  template: string,
  records: readonly Example[],
  outputs: ReadonlyMap<string, string>,
  moduleType: ModuleType,
  model: string,
  prices: PriceTable,
): CallCost {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const inputTokens = mean(records.map((e) => countMessageTokens(studentMessages(template, e, moduleType))));
  const outputTokens = mean(records.map((e) => countTokens(outputs.get(e.id) ?? e.output)));
  return {
    inputTokens,
    outputTokens,
    usdPer1000: prices[model]
      ? 1000 * costUsd(model, { input: inputTokens, output: outputTokens }, prices)
      : null,
  };
}
