/**
 * Kaizen's search: a reflective loop in the spirit of GEPA, adapted to one
 * template and to logged data.
 *
 * 1. Every candidate, the seed included, is scored by running the student under the same settings
 *    (the logged outputs may come from another prompt or model, so they never stand for the seed).
 * 2. First proposals are written by the teacher from the logged failures, without any student call.
 * 3. Each iteration takes a parent from the Pareto front of per-example validation scores, runs
 *    the child on a minibatch biased to the parent's failures (the parent's results come from
 *    the cache), accepts it only if the paired gain beats the judge's measured noise, and then
 *    validates it in stages, stopping a losing child early.
 * 4. The planned iterations end the loop, or the planned spend (the plan's searchStopUsd: where
 *    examples win, every later prompt quotes them and costs more than planned), or the budget: a
 *    refused call stops the search, never the run. There is no early stop on a plateau: the run
 *    does what its estimate counted, so the spend people approved is the spend they get (DSPy's
 *    trials and GEPA's metric calls alike).
 *
 * A candidate is an instruction plus a set of demonstrations (MIPROv2's few-shot half): the
 * teacher rewrites the instruction and the child keeps its parent's examples; every third
 * iteration instead swaps the parent's examples (no teacher call). Both kinds of child face the
 * same acceptance and staged validation.
 */
import type { Random } from "../core/random.js";
import type { PromptFormat } from "../core/task-config-schema.js";
import { withDemonstrations, type Demonstration } from "../render/demos.js";
import { DEFAULT_KNOBS, DEMO_EVERY, DEMO_TRIES_WITHOUT_GAIN, type Knobs } from "./knobs.js";
import { KaizenError } from "../core/errors.js";
import { ProposalChecker } from "./checks.js";
import { HIGH_SCORE, type Example, type Split } from "./dataset.js";
import { demonstrationPool, mutateDemonstrations } from "./demos.js";
import { BudgetExceededError } from "./errors.js";
import { extractJson } from "./llm/model-params.js";
import { finalAnswer, type Evaluation, type Evaluator } from "./evaluators/index.js";
import type { ChatMessage, LlmGateway } from "./llm/types.js";
import { mean, tieTolerance, upperBound } from "./stats.js";
import { countTokens } from "./llm/tokens.js";
import {
  PROPOSAL_SCHEMA,
  studentMessages,
  teacherMaxTokens,
  teacherMessages,
  type ModuleType,
} from "./prompts.js";

export interface Candidate {
  id: number;
  /** The whole prompt the student runs and the pull request ships: instruction and examples. */
  template: string;
  /** The instruction alone (the template without its examples); the template when absent. */
  instruction?: string;
  /** The demonstrations quoted in the template; none when absent. */
  demos?: readonly Demonstration[];
  parent: number | null;
  rationale: string;
  /** Scores by example id, on every set it ran on. */
  scores: Map<string, Evaluation>;
  /** The student's outputs by example id, shown to the teacher beside the scores. */
  outputs?: Map<string, string>;
  status: "seed" | "rejected" | "accepted" | "stopped" | "validated";
  reason: string | null;
  costUsd: number;
}

export interface SearchInput {
  template: string;
  split: Split;
  /**
   * The evaluator's scores of some logged outputs: evidence for the teacher's first proposals,
   * never the seed's scores (the student produces those).
   */
  loggedScores: Map<string, Evaluation>;
  evaluator: Evaluator;
  gateway: LlmGateway;
  rng: Random;
  models: { teacher: string; student: string };
  moduleType: ModuleType;
  description: string | null;
  /** Standard deviation of one judgment (acceptance tolerance). */
  noise: number;
  /** The run's shape (the plan's knobs); the defaults without. */
  knobs?: Knobs;
  /** The run's spend at which no new proposal starts (the plan's searchStopUsd); null for none. */
  stopAtUsd?: number | null;
  /** The prompt file's format: how the examples section is written. Default text. */
  format?: PromptFormat;
  /** Dollars spent so far, for progress. */
  spent?: () => number;
  onProgress?: (message: string, fraction: number) => void;
}

export interface SearchOutcome {
  candidates: Candidate[];
  /** Validated candidates, best validation mean first (the seed excluded). */
  finalists: Candidate[];
  /** What ended it: every planned iteration ran, the planned spend was reached, or the budget. */
  stoppedBy: "iterations" | "planned spend" | "budget";
  /** The teacher's answers, and those that could not be read as a proposal. */
  teacherAnswers: { total: number; unreadable: number };
}

/** More than this share of unreadable teacher answers fails the job: the search was blind. */
export const MAX_UNREADABLE_SHARE = 0.5;

/** Most of the teacher's answers could not be read: the job fails instead of reporting "no improvement". */
export class UnreadableTeacherError extends KaizenError {
  override name = "UnreadableTeacherError";
  constructor(model: string, answers: { total: number; unreadable: number }) {
    super(
      `${answers.unreadable} of ${answers.total} answers of the teacher model ${model} could not be read as a proposal (a JSON object with "template" and "rationale"), so the search could not run: use a teacher model that follows structured output or JSON instructions (set teacher_model in the task file)`,
    );
  }
}

export async function runStudent(
  gateway: LlmGateway,
  model: string,
  template: string,
  example: Example,
  moduleType: ModuleType,
): Promise<string> {
  const result = await gateway.complete({
    role: "student",
    model,
    temperature: 0,
    maxTokens: 800,
    messages: studentMessages(template, example, moduleType),
  });
  return moduleType === "chain_of_thought" ? finalAnswer(result.text) : result.text;
}

export async function searchPrompt(input: SearchInput): Promise<SearchOutcome> {
  const limits = input.knobs ?? DEFAULT_KNOBS;
  const rng = input.rng.fork("search");
  // Demonstration draws have their own stream, so instruction-only runs replay as before.
  const demoRng = input.rng.fork("demonstrations");
  const demoSize = limits.demos;
  const pool = demoSize > 0 ? demonstrationPool(input.split.train) : [];
  const format = input.format ?? "text";
  const instructionOf = (c: Candidate) => c.instruction ?? c.template;
  const checker = new ProposalChecker(input.template, [...input.split.train, ...input.split.val]);
  const seed: Candidate = {
    id: 0,
    template: input.template,
    parent: null,
    rationale: "the active prompt",
    scores: new Map(),
    status: "seed",
    reason: null,
    costUsd: 0,
  };
  const candidates: Candidate[] = [seed];
  const teacherAnswers = { total: 0, unreadable: 0 };
  const tolerance = (n: number) => 0.5 * input.noise * Math.sqrt(n);
  let best = seed;
  const progress = (message: string, done: number, of: number) =>
    input.onProgress?.(message, Math.min(1, done / Math.max(1, of)));

  /** Scores a candidate on examples it has not run on yet (the cache makes re-runs free). */
  const score = async (candidate: Candidate, examples: readonly Example[]) => {
    await Promise.all(
      examples
        .filter((e) => !candidate.scores.has(e.id))
        .map(async (e) => {
          const output = await runStudent(
            input.gateway,
            input.models.student,
            candidate.template,
            e,
            input.moduleType,
          );
          (candidate.outputs ??= new Map()).set(e.id, output);
          candidate.scores.set(e.id, await input.evaluator.evaluate(e, output));
        }),
    );
  };
  const meanOn = (c: Candidate, examples: readonly Example[]) =>
    mean(examples.map((e) => c.scores.get(e.id)?.score ?? 0));

  /** Staged validation: stops a child whose paired gain over the best is surely negative. */
  const validate = async (child: Candidate) => {
    const order = rng.shuffle(input.split.val);
    const bounds = [...limits.stages.filter((s) => s < order.length), order.length];
    for (const bound of bounds) {
      const chunk = order.slice(0, bound);
      await score(child, chunk);
      await score(best, chunk);
      const diffs = chunk.map((e) => child.scores.get(e.id)!.score - best.scores.get(e.id)!.score);
      if (bound < order.length && upperBound(diffs) < 0) {
        child.status = "stopped";
        child.reason = `stopped after ${bound} validation examples: mean gain ${mean(diffs).toFixed(3)} over the best`;
        return;
      }
    }
    child.status = "validated";
    // A tie goes to the child (Ax's rule): it keeps what its parent found and adds to it, which a
    // validation set that misses some kinds of case cannot show.
    if (meanOn(child, input.split.val) >= meanOn(best, input.split.val)) best = child;
  };

  /**
   * Proposes, checks, tries on a minibatch against its parent, and validates if it gains. A
   * proposal is a new instruction (from the teacher, null when unreadable) or a new set of
   * demonstrations for the parent's instruction.
   */
  const tryChild = async (
    parent: Candidate,
    proposal: Proposal | { demos: Demonstration[] } | null,
    batch: readonly Example[],
  ) => {
    const fromTeacher = proposal === null || "template" in proposal;
    const instruction = proposal && "template" in proposal ? proposal.template : instructionOf(parent);
    const demos = proposal && "demos" in proposal ? proposal.demos : (parent.demos ?? []);
    if (fromTeacher) teacherAnswers.total++;
    const child: Candidate = {
      id: candidates.length,
      template: withDemonstrations(instruction, demos, format),
      instruction,
      demos,
      parent: parent.id,
      rationale:
        proposal && "template" in proposal
          ? proposal.rationale
          : `examples from feedback ${demos.map((d) => d.id).join(", ")}`,
      scores: new Map(),
      status: "rejected",
      reason: null,
      costUsd: 0,
    };
    candidates.push(child);
    if (!fromTeacher) demoChildren.push(child);
    if (!proposal) {
      teacherAnswers.unreadable++;
      child.reason = "the teacher's answer could not be read as a proposal";
      return;
    }
    const problem =
      (fromTeacher ? checker.problem(instruction) : null) ??
      (demos.length > 0 ? checker.problem(child.template, { demonstrations: true }) : null);
    if (problem) {
      child.reason = problem;
      return;
    }
    // A child is never scored on the records it quotes as examples (it would see the answer).
    const quoted = new Set([...demos, ...(parent.demos ?? [])].map((d) => d.id));
    const minibatch = batch.filter((e) => !quoted.has(e.id));
    const before = input.spent?.() ?? 0;
    try {
      await score(parent, minibatch);
      await score(child, minibatch);
      const gain = minibatch.reduce(
        (s, e) => s + child.scores.get(e.id)!.score - parent.scores.get(e.id)!.score,
        0,
      );
      if (gain <= tolerance(minibatch.length)) {
        child.reason = `minibatch gain ${gain.toFixed(2)} within the judge's noise (τ = ${tolerance(minibatch.length).toFixed(2)})`;
        return;
      }
      child.status = "accepted";
      await validate(child);
    } finally {
      child.costUsd = (input.spent?.() ?? 0) - before;
    }
  };

  /** Whether demonstration children have validated, or have not yet failed often enough to give up. */
  const demoChildren: Candidate[] = [];
  const demosMayHelp = () =>
    demoChildren.length < DEMO_TRIES_WITHOUT_GAIN || demoChildren.some((c) => c.status === "validated");
  /** Train records a candidate may be scored on: never one its or its child's examples quote. */
  const unquoted = (parent: Candidate, demos: readonly Demonstration[] = []) => {
    const quoted = new Set([...(parent.demos ?? []), ...demos].map((d) => d.id));
    return input.split.train.filter((e) => !quoted.has(e.id));
  };
  /**
   * A few train records people scored well or corrected, different ones each proposal: reference
   * answers the teacher can generalise from (GEPA shows the reference beside each output).
   */
  const references = input.split.train.filter((e) => referenceOf(e) !== null);
  const goodCases = (random: Random, shown: readonly Example[]) =>
    random.sample(
      references.filter((e) => !shown.includes(e)),
      limits.goodCases,
    );
  const failuresOf = (c: Candidate, pool: readonly Example[]) =>
    [...pool].sort((a, b) => (c.scores.get(a.id)?.score ?? 1) - (c.scores.get(b.id)?.score ?? 1));
  // The evaluator's scores of logged outputs where there are some, else the people's.
  const loggedScore = (e: Example) => input.loggedScores.get(e.id)?.score ?? e.score;
  const loggedFailures = [...input.split.train].sort((a, b) => loggedScore(a) - loggedScore(b));
  const pastPlannedSpend = () =>
    input.stopAtUsd != null && input.spent !== undefined && input.spent() >= input.stopAtUsd;

  try {
    // Zero-rollout proposals from the logs: the worst train records and a few of the best.
    // The teacher sees what the student does with the seed on them, not the production logs
    // (they may come from another prompt or model); the cache makes these runs free later.
    const worst = loggedFailures.slice(0, limits.firstFailures);
    await score(seed, worst);
    const worstBySeed = failuresOf(seed, worst);
    for (let i = 0; i < limits.initialProposals; i++) {
      if (pastPlannedSpend()) return finish("planned spend");
      progress(
        `proposal ${i + 1} of ${limits.initialProposals} from the logged failures`,
        i,
        limits.initialProposals + limits.iterations,
      );
      const proposal = await propose(input, seed, worstBySeed, goodCases(rng, worst), i);
      const minibatch = minibatchFor(seed, input.split.train, limits.minibatch, rng);
      await tryChild(seed, proposal, minibatch);
    }
    for (let iteration = 0; iteration < limits.iterations; iteration++) {
      if (pastPlannedSpend()) return finish("planned spend");
      progress(
        `iteration ${iteration + 1} of ${limits.iterations} (best validation mean ${meanOn(best, input.split.val).toFixed(3)})`,
        limits.initialProposals + iteration,
        limits.initialProposals + limits.iterations,
      );
      const parent = paretoParent(candidates, input.split.val, rng);
      if (pool.length > 0 && iteration % DEMO_EVERY === 0 && demosMayHelp()) {
        const demos = mutateDemonstrations(parent.demos ?? [], pool, demoSize, demoRng);
        if (demos) {
          const minibatch = minibatchFor(parent, unquoted(parent, demos), limits.minibatch, rng);
          await tryChild(parent, { demos }, minibatch);
          continue;
        }
      }
      const minibatch = minibatchFor(parent, unquoted(parent), limits.minibatch, rng);
      await score(parent, minibatch);
      const proposal = await propose(
        input,
        parent,
        failuresOf(parent, minibatch),
        goodCases(rng, minibatch),
        limits.initialProposals + iteration,
      );
      await tryChild(parent, proposal, minibatch);
    }
    return finish("iterations");
  } catch (error) {
    if (error instanceof BudgetExceededError) return finish("budget");
    throw error;
  }

  function finish(stoppedBy: SearchOutcome["stoppedBy"]): SearchOutcome {
    if (teacherAnswers.total >= 2 && teacherAnswers.unreadable > MAX_UNREADABLE_SHARE * teacherAnswers.total)
      throw new UnreadableTeacherError(input.models.teacher, teacherAnswers);
    const ranked = candidates
      .filter((c) => c.status === "validated")
      .sort((a, b) => meanOn(b, input.split.val) - meanOn(a, input.split.val) || b.id - a.id);
    return { candidates, finalists: withShortestTied(ranked), stoppedBy, teacherAnswers };
  }

  /**
   * The finalists in validation order, with the shortest candidate tied with the best on
   * validation within the evaluator's noise moved up to second place: the gate tests two, and ships the shorter of two that tie, so a prompt that says in a
   * few words what another says with many examples gets its held-out test.
   */
  function withShortestTied(ranked: Candidate[]): Candidate[] {
    const [first, ...rest] = ranked;
    if (!first) return ranked;
    const tolerance = tieTolerance(input.noise, input.split.val.length);
    const shortest = rest
      .filter(
        (c) =>
          promptTokens(c) < promptTokens(first) &&
          meanOn(first, input.split.val) - meanOn(c, input.split.val) <= tolerance,
      )
      .sort((a, b) => promptTokens(a) - promptTokens(b))[0];
    return shortest ? [first, shortest, ...rest.filter((c) => c !== shortest)] : ranked;
  }
}

/** What a candidate's prompt costs on every call before any input is filled in: its template's tokens. */
export const promptTokens = (c: Pick<Candidate, "template">) => countTokens(c.template);

/**
 * A minibatch from train, at least half of it the parent's low scorers (by its own scores where
 * it ran, else by the people's logged scores).
 */
function minibatchFor(parent: Candidate, train: readonly Example[], size: number, rng: Random): Example[] {
  const scoreOf = (e: Example) => parent.scores.get(e.id)?.score ?? e.score;
  const scored = [...train].sort((a, b) => scoreOf(a) - scoreOf(b));
  const weak = scored.slice(0, Math.max(size, Math.ceil(scored.length / 3)));
  const picked = rng.sample(weak, Math.ceil(size / 2));
  const rest = rng.sample(
    train.filter((e) => !picked.includes(e)),
    size - picked.length,
  );
  return [...picked, ...rest];
}

/** GEPA's Pareto selection: candidates best on some validation example, drawn by how often they are. */
export function paretoParent(
  candidates: readonly Candidate[],
  val: readonly Example[],
  rng: Random,
): Candidate {
  const eligible = candidates.filter((c) => c.status === "seed" || c.status === "validated");
  const wins = new Map<Candidate, number>();
  for (const e of val) {
    const top = Math.max(...eligible.map((c) => c.scores.get(e.id)?.score ?? -1));
    for (const c of eligible)
      if ((c.scores.get(e.id)?.score ?? -1) === top) wins.set(c, (wins.get(c) ?? 0) + 1);
  }
  const front = [...wins];
  let draw = rng.next() * front.reduce((s, [, n]) => s + n, 0);
  for (const [c, n] of front) if ((draw -= n) < 0) return c;
  return eligible[0]!;
}

/** A record's reference answer: the reviewer's correction or label, else its own output when people scored it well. */
export const referenceOf = (e: Example): string | null =>
  e.expected ?? (e.score >= HIGH_SCORE ? e.output : null);

export interface Proposal {
  template: string;
  rationale: string;
}

/** A teacher's answer as a proposal (JSON whole, fenced or in prose), or null when unreadable. */
export function readProposal(text: string): Proposal | null {
  const parsed = extractJson(text);
  if (!parsed || typeof parsed.template !== "string" || parsed.template.trim() === "") return null;
  return {
    template: parsed.template,
    rationale: (typeof parsed.rationale === "string" ? parsed.rationale : "").split("\n")[0]!.slice(0, 200),
  };
}

async function propose(
  input: SearchInput,
  parent: Candidate,
  failures: readonly Example[],
  good: readonly Example[],
  index: number,
): Promise<Proposal | null> {
  // The teacher edits the instruction; the examples section is the search's, not the teacher's.
  const instruction = parent.instruction ?? parent.template;
  // The parent's own outputs under the student, their scores and critiques, and the reference
  // answer where the record has one (GEPA's reflective dataset: output, feedback, reference).
  const text = await askTeacher(
    input.gateway,
    input.models.teacher,
    index,
    teacherMaxTokens(instruction),
    teacherMessages({
      description: input.description,
      instruction,
      failures: failures.map((e) => {
        const evaluation = parent.scores.get(e.id);
        return {
          inputs: e.inputs,
          output: parent.outputs?.get(e.id) ?? null,
          expected: e.expected,
          score: evaluation?.score ?? null,
          critique: evaluation?.critique || null,
        };
      }),
      good: good.map((e) => ({ inputs: e.inputs, reference: referenceOf(e)! })),
    }),
  );
  return readProposal(text);
}

/**
 * One teacher call: temperature 1 for variety, a seed per proposal so proposals differ and a
 * re-run replays them from the cache, and a JSON answer.
 */
export async function askTeacher(
  gateway: LlmGateway,
  model: string,
  seed: number,
  maxTokens: number,
  messages: ChatMessage[],
): Promise<string> {
  return (
    await gateway.complete({
      role: "teacher",
      model,
      temperature: 1,
      seed,
      schema: PROPOSAL_SCHEMA,
      maxTokens,
      messages,
    })
  ).text;
}
