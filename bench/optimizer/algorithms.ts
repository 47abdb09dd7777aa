/**
 * The algorithms compared at equal dollar budgets, all on the same gateway (so the same budget
 * enforcement and accounting), evaluator and data: the seed (no-op), compact re-implementations
 * of MIPROv2-light (anchors §1) and GEPA (§3), and Kaizen's own search and gate (§8).
 */
import type { Random } from "../../src/core/random.js";
import type { Example, Split } from "../../src/optimizer/dataset.js";
import { BudgetExceededError } from "../../src/optimizer/errors.js";
import type { Evaluation, Evaluator } from "../../src/optimizer/evaluators/index.js";
import { runGate } from "../../src/optimizer/gate.js";
import type { LlmGateway } from "../../src/optimizer/llm/types.js";
import {
  askTeacher,
  paretoParent,
  runStudent,
  searchPrompt,
  type Candidate,
} from "../../src/optimizer/search.js";
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
}

export interface AlgorithmResult {
  shipped: string | null;
  /** Each new best (by the algorithm's own measure), with the dollars spent when it was found. */
  trace: { usd: number; template: string }[];
}

export type Algorithm = (input: AlgorithmInput) => Promise<AlgorithmResult>;

async function scoreOn(
  input: AlgorithmInput,
  template: string,
  examples: readonly Example[],
): Promise<number[]> {
  return Promise.all(
    examples.map(
      async (e) =>
        (
          await input.evaluator.evaluate(
            e,
            await runStudent(input.gateway, input.models.student, template, e, "predict"),
          )
        ).score,
    ),
  );
}

/** Runs until the budget refuses a call; what was found so far stands. */
async function untilBudget(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error;
  }
}

async function teacher(
  input: AlgorithmInput,
  template: string,
  cases: string,
  index: number,
): Promise<string> {
  const text = await askTeacher(input.gateway, input.models.teacher, index, 1_500, [
    {
      role: "user",
      content: `Improve this prompt template.\n<template>\n${template}\n</template>\n\n${cases}`,
    },
  ]);
  try {
    return (JSON.parse(text) as { template: string }).template;
  } catch {
    return template;
  }
}

export const seedOnly: Algorithm = async () => ({ shipped: null, trace: [] });

/** MIPROv2-light: proposals up front (no failures seen), random search over them on 35-example minibatches, a full evaluation every 5 trials. */
export const miproLight: Algorithm = async (input) => {
  const trace: AlgorithmResult["trace"] = [];
  let best: { template: string; mean: number } | null = null;
  await untilBudget(async () => {
    const seedMean = mean(await scoreOn(input, input.template, input.split.val));
    best = { template: input.template, mean: seedMean };
    const summary = `Data summary: ${input.split.train.length} questions about customer topics.`;
    const proposals = [input.template];
    for (let i = 0; i < 6; i++) proposals.push(await teacher(input, input.template, summary, 100 + i));
    const sums = new Map<string, { total: number; n: number }>();
    for (let trial = 1; trial <= 30; trial++) {
      const explore = input.rng.next() < 0.5 || sums.size === 0;
      const pick = explore
        ? input.rng.pick(proposals)
        : [...sums].sort((a, b) => b[1].total / b[1].n - a[1].total / a[1].n)[0]![0];
      const batch = input.rng.sample(input.split.val, Math.min(35, input.split.val.length));
      const scores = await scoreOn(input, pick, batch);
      const entry = sums.get(pick) ?? { total: 0, n: 0 };
      sums.set(pick, { total: entry.total + mean(scores) * scores.length, n: entry.n + scores.length });
      if (trial % 5 === 0) {
        const leader = [...sums].sort((a, b) => b[1].total / b[1].n - a[1].total / a[1].n)[0]![0];
        const full = mean(await scoreOn(input, leader, input.split.val));
        if (full > best!.mean) {
          best = { template: leader, mean: full };
          trace.push({ usd: input.spent(), template: leader });
        }
      }
    }
  });
  const found = best as { template: string; mean: number } | null;
  return { shipped: found && found.template !== input.template ? found.template : null, trace };
};

/** GEPA: minibatches of 3, Pareto parents, reflective mutation, a strict gate, full validation, no cache. */
export const gepa: Algorithm = async (input) => {
  const trace: AlgorithmResult["trace"] = [];
  const pool: Candidate[] = [];
  await untilBudget(async () => {
    const seed: Candidate = {
      id: 0,
      template: input.template,
      parent: null,
      rationale: "",
      scores: new Map(),
      status: "seed",
      reason: null,
      costUsd: 0,
    };
    const seedVal = await scoreOn(input, input.template, input.split.val);
    input.split.val.forEach((e, i) =>
      seed.scores.set(e.id, { score: seedVal[i]!, critique: null, details: [] }),
    );
    pool.push(seed);
    for (let iteration = 0; iteration < 40; iteration++) {
      const parent = paretoParent(pool, input.split.val, input.rng);
      const batch = input.rng.sample(input.split.train, 3);
      const parentEvals = await Promise.all(
        batch.map(async (e) =>
          input.evaluator.evaluate(
            e,
            await runStudent(input.gateway, input.models.student, parent.template, e, "predict"),
          ),
        ),
      );
      const cases = batch
        .map(
          (e, i) =>
            `<data>\nInput: ${JSON.stringify(e.inputs)}\n</data>\nScore: ${parentEvals[i]!.score}\nCritique: <data>${parentEvals[i]!.critique ?? ""}</data>`,
        )
        .join("\n\n");
      const child = await teacher(input, parent.template, cases, 200 + iteration);
      const childScores = await scoreOn(input, child, batch);
      if (mean(childScores) <= mean(parentEvals.map((p) => p.score))) continue;
      const val = await scoreOn(input, child, input.split.val);
      const candidate: Candidate = {
        id: pool.length,
        template: child,
        parent: parent.id,
        rationale: "",
        scores: new Map(
          input.split.val.map((e, i) => [e.id, { score: val[i]!, critique: null, details: [] }]),
        ),
        status: "validated",
        reason: null,
        costUsd: 0,
      };
      pool.push(candidate);
      const valMean = (c: Candidate) => mean(input.split.val.map((e) => c.scores.get(e.id)!.score));
      if (pool.every((c) => c === candidate || valMean(c) < valMean(candidate)))
        trace.push({ usd: input.spent(), template: child });
    }
  });
  const valMean = (c: Candidate) => mean(input.split.val.map((e) => c.scores.get(e.id)?.score ?? 0));
  const best = [...pool].sort((a, b) => valMean(b) - valMean(a))[0];
  return { shipped: best && best.id !== 0 ? best.template : null, trace };
};

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
      test: input.split.test,
      seed: input.rng.seed,
    });
    return { shipped: gate.winner?.candidate.template ?? null, trace };
  } catch (error) {
    if (error instanceof BudgetExceededError) return { shipped: null, trace };
    throw error;
  }
};
