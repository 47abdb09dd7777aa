/**
 * What is settled before a run spends anything: the price of every model it would call (refused
 * at once, every unpriced model named, when one is missing), the verdict on the evaluator (stop
 * before the search when a judge agrees too poorly or undefinedly with people), and the logged
 * evidence the teacher's first proposals are written from.
 */
import { describePrices, resolvePrices, UnknownModelPriceError, type PriceTable } from "../core/prices.js";
import { KaizenError } from "../core/errors.js";
import type { TaskConfig } from "../core/task-config-schema.js";
import { MIN_AGREEMENT, type Agreement } from "./agreement.js";
import type { Example } from "./dataset.js";
import type { Evaluation, Evaluator } from "./evaluators/index.js";
import { usesJudge } from "./evaluators/index.js";
import type { Models } from "./estimate.js";

/** The models a run calls: the judge only when the evaluator uses one. */
export function modelsCalled(config: Pick<TaskConfig, "evaluator_config">, models: Models): string[] {
  return [models.teacher, models.student, ...(usesJudge(config) ? [models.judge] : [])];
}

/** Prices for the run's models, and a line per model for the plan. */
export function pricesForRun(
  config: Pick<TaskConfig, "evaluator_config" | "model_prices">,
  models: Models,
  baseURL: string | undefined,
): { prices: PriceTable; unknown: string[]; notes: string[] } {
  const resolved = resolvePrices(modelsCalled(config, models), config.model_prices, baseURL);
  return { prices: resolved.prices, unknown: resolved.unknown, notes: describePrices(resolved, baseURL) };
}

/** @throws UnknownModelPriceError naming every unpriced model, before any call */
export function refuseUnpriced(unknown: readonly string[]): void {
  if (unknown.length > 0) throw new UnknownModelPriceError(unknown);
}

/** Why the search must not start with this evaluator, or null. */
export function evaluatorVerdict(agreement: Agreement): string | null {
  if (!agreement.tooPoor) return null;
  return agreement.spearman.value === null
    ? `No search: the judge's agreement with people's scores cannot be measured. ${agreement.undefinedBecause?.measured ?? ""} ${agreement.undefinedBecause?.fix ?? ""} Then run again.`
    : `No search: the evaluator agrees too poorly with people's scores to optimize against (Spearman ρ = ${agreement.spearman.value.toFixed(2)}, below ${MIN_AGREEMENT}). Improve the rubric or add evaluators, then run again.`;
}

/** Most of the judge's answers could not be read: its scores would be zeros, not judgments. */
export class UnreadableJudgeError extends KaizenError {
  override name = "UnreadableJudgeError";
}

/** @throws UnreadableJudgeError when more than half of the judge's answers so far were unreadable */
export function refuseUnreadableJudge(evaluator: Evaluator, judgeModel: string): void {
  const answers = evaluator.judgeAnswers;
  if (answers && answers.total >= 2 && answers.unreadable > answers.total / 2)
    throw new UnreadableJudgeError(
      `${answers.unreadable} of ${answers.total} answers of the judge model ${judgeModel} could not be read as a score (a JSON object with "score" and "critique"): use a judge model that follows structured output or JSON instructions (set judge_model in the task file)`,
    );
}

/**
 * The evaluator's scores of logged train outputs, for the teacher's first proposals: every one
 * with a deterministic evaluator (free), only the `count` worst by people's scores with a judge.
 */
export async function loggedEvidence(
  evaluator: Evaluator,
  train: readonly Example[],
  count: number,
): Promise<Map<string, Evaluation>> {
  const chosen = evaluator.usesJudge ? [...train].sort((a, b) => a.score - b.score).slice(0, count) : train;
  const scores = new Map<string, Evaluation>();
  await Promise.all(chosen.map(async (e) => scores.set(e.id, await evaluator.evaluate(e, e.output))));
  return scores;
}
