/**
 * Kaizen's side of the comparison, on Kaizen's gateway (budget enforcement and accounting),
 * evaluator and data: the seed (no-op) and Kaizen's own search and gate (§8). The peers are the
 * real Ax optimizers (ax.ts); our former re-implementations of MIPROv2-light and GEPA were dropped
 * because they were not faithful (see docs/decisions.md).
 */
import type { Random } from "../../src/core/random.js";
import type { Split } from "../../src/optimizer/dataset.js";
import { BudgetExceededError } from "../../src/optimizer/errors.js";
import type { Evaluation, Evaluator } from "../../src/optimizer/evaluators/index.js";
import { runGate } from "../../src/optimizer/gate.js";
import type { LlmGateway } from "../../src/optimizer/llm/types.js";
import { DEFAULT_KNOBS } from "../../src/optimizer/knobs.js";
import type { RunPlan } from "../../src/optimizer/run-plan.js";
import { searchPrompt } from "../../src/optimizer/search.js";
import { mean } from "../../src/optimizer/stats.js";

export interface AlgorithmInput {
  template: string;
  split: Split;
  evaluator: Evaluator;
  gateway: LlmGateway;
  rng: Random;
  models: { teacher: string; student: string };
  /** Dollars spent so far on this run's budget. */
  spent: () => number;
  seedScores: Map<string, Evaluation>;
  noise: number;
  /** The run's plan, as the pipeline makes it; the default knobs without. */
  plan?: RunPlan;
}

export interface AlgorithmResult {
  shipped: string | null;
  /** Each new best (by the algorithm's own measure), with the dollars spent when it was found. */
  trace: { usd: number; template: string }[];
}

export type Algorithm = (input: AlgorithmInput) => Promise<AlgorithmResult>;

export const seedOnly: Algorithm = () => Promise.resolve({ shipped: null, trace: [] });

/** Kaizen: the search of §8 and its held-out gate, exactly as the pipeline runs them. */
export const kaizen: Algorithm = async (input) => {
  const startUsd = input.spent();
  const search = await searchPrompt({
    template: input.template,
    split: input.split,
    loggedScores: input.seedScores,
    evaluator: input.evaluator,
    gateway: input.gateway,
    rng: input.rng,
    models: input.models,
    moduleType: "predict",
    description: "Answer customer questions with the right category word.",
    noise: input.noise,
    spent: input.spent,
    ...(input.plan ? { knobs: input.plan.knobs, stopAtUsd: input.plan.searchStopUsd } : {}),
  });
  // Candidates are numbered in the order they were found; their costs add up to the search's.
  const trace: AlgorithmResult["trace"] = [];
  let usd = startUsd;
  const seedCandidate = search.candidates[0]!;
  let bestVal = mean(input.split.val.map((e) => seedCandidate.scores.get(e.id)?.score ?? 0));
  for (const c of search.candidates.slice(1)) {
    usd += c.costUsd;
    const v = mean(input.split.val.map((e) => c.scores.get(e.id)?.score ?? 0));
    if (c.status === "validated" && v > bestVal) {
      bestVal = v;
      trace.push({ usd, template: c.template });
    }
  }
  if (search.finalists.length === 0) return { shipped: null, trace };
  try {
    const gate = await runGate({
      gateway: input.gateway,
      evaluator: input.evaluator,
      models: input.models,
      moduleType: "predict",
      seedCandidate: search.candidates[0]!,
      finalists: search.finalists,
      topK: (input.plan?.knobs ?? DEFAULT_KNOBS).topK,
      noise: input.noise,
      test: input.split.test,
      seed: input.rng.seed,
    });
    return { shipped: gate.winner?.candidate.template ?? null, trace };
  } catch (error) {
    if (error instanceof BudgetExceededError) return { shipped: null, trace };
    throw error;
  }
};
