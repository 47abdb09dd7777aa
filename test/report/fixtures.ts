/**
 * Reports as a reviewer would get them, built from hand-made pipeline results: a shipped
 * candidate on 40 held-out examples, a no-ship on 12, a person's edit, and the cases where no
 * search runs. Shared by the report's tests and scripts/render-report.ts (the screenshots).
 */
import type { PromptVersion } from "../../src/core/records.js";
import type { Agreement } from "../../src/optimizer/agreement.js";
import type { BudgetSnapshot } from "../../src/optimizer/budget.js";
import type { Example } from "../../src/optimizer/dataset.js";
import type { Estimate } from "../../src/optimizer/estimate.js";
import type { Evaluation } from "../../src/optimizer/evaluators/index.js";
import type { GateOutcome, TestResult } from "../../src/optimizer/gate.js";
import type { Candidate, SearchOutcome } from "../../src/optimizer/search.js";
import { signTest } from "../../src/optimizer/stats.js";
import { withDemonstrations, type Demonstration } from "../../src/render/demos.js";
import type { ReportInput } from "../../src/report/index.js";

export const SEED_TEMPLATE = [
  "You are the triage assistant of Acme's support desk. Read the customer's ticket below and answer with exactly one label: billing, technical, account or other.",
  "",
  "Ticket: {{ticket}}",
  "",
  "Answer with the label only, in lower case, with no punctuation and no explanation, because the answer is read by a program that routes the ticket to the right queue.",
].join("\n");

export const CANDIDATE_TEMPLATE = [
  "You are the triage assistant of Acme's support desk. Read the customer's ticket below and answer with exactly one label: billing, technical, account or other.",
  "",
  "Tickets about refunds, double charges or invoices are billing. Tickets about crashes, freezes or error codes are technical, even when the customer is angry about money.",
  "",
  "Ticket: {{ticket}}",
  "",
  "Answer with the label only, in lower case, with no punctuation and no explanation, because the answer is read by a program that routes the ticket to the right queue.",
].join("\n");

const TICKETS = [
  "I was charged twice for my March subscription and I would like the second payment refunded to the card ending in 4242 as soon as possible, thank you",
  "The app freezes on the login page since yesterday's update; I tried reinstalling it twice and clearing the cache but nothing changes and I have a deadline",
  "Error 500 when saving a draft",
  "Please close my account and delete my data",
  "Where is your office?",
  "Refund the duplicate invoice INV-2291, the app showed an error while I paid",
  "I forgot the email address I signed up with and cannot log in anymore",
  "Do you have a dark mode?",
];
const LABELS = ["billing", "technical", "technical", "account", "other", "billing", "account", "other"];

const evaluation = (score: number): Evaluation => ({ score, critique: null, details: [] });

function examples(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `ex-${String(i + 1).padStart(3, "0")}`,
    inputs: { ticket: TICKETS[i % TICKETS.length]! },
    output: LABELS[(i + 1) % LABELS.length]!,
    score: i % 3 === 0 ? 1 : 0,
    expected: i % 2 === 0 ? LABELS[i % LABELS.length]! : null,
  }));
}

const candidate = (id: number, template: string, parent: number | null, rationale: string): Candidate => ({
  id,
  template,
  parent,
  rationale,
  scores: new Map(),
  status: id === 0 ? "seed" : "validated",
  reason: null,
  costUsd: 0.01,
});

export const seed = candidate(0, SEED_TEMPLATE, null, "");
export const better = candidate(
  1,
  CANDIDATE_TEMPLATE,
  0,
  "The judge's critiques say refunds were labelled technical when the customer mentioned an error; the rule for refunds and crashes is now explicit.",
);

/** A gate run: `seedScore(i)` and `candidateScore(i)` give each example's score. */
function gate(
  test: Example[],
  seedScore: (i: number) => number,
  candidateScore: (i: number) => number,
  gain: { mean: number; low: number; high: number },
  ships: boolean,
): GateOutcome {
  const map = (f: (i: number) => number) => new Map(test.map((e, i) => [e.id, evaluation(f(i))]));
  const answers = (f: (i: number) => number) =>
    new Map(
      test.map((e, i) => [
        e.id,
        f(i) >= 0.5
          ? (e.expected ?? LABELS[i % LABELS.length]!)
          : `${LABELS[(i + 1) % LABELS.length]!}. The customer mentions ${i % 2 ? "an error" : "a payment"}, so I routed it there; tell me if another queue fits better.`,
      ]),
    );
  const mean = (f: (i: number) => number) => test.reduce((s, _, i) => s + f(i), 0) / test.length;
  const result: TestResult = {
    candidate: better,
    scores: map(candidateScore),
    outputs: answers(candidateScore),
    mean: { mean: mean(candidateScore), low: mean(candidateScore) - 0.08, high: mean(candidateScore) + 0.07 },
    gain,
    sign: signTest(
      test.map((_, i) => seedScore(i)),
      test.map((_, i) => candidateScore(i)),
    ),
  };
  return {
    seed: {
      scores: map(seedScore),
      outputs: answers(seedScore),
      mean: { mean: mean(seedScore), low: mean(seedScore) - 0.09, high: mean(seedScore) + 0.08 },
    },
    results: [result],
    winner: ships ? result : null,
  };
}

const role = (calls: number, usd: number) => ({ calls, usd });
const spent: BudgetSnapshot = {
  limitUsd: 1,
  spentUsd: 0.4213,
  reservedUsd: 0,
  floorUsd: 0,
  overrunUsd: 0,
  calls: 412,
  byRole: { student: role(300, 0.0612), judge: role(100, 0.3101), teacher: role(12, 0.05) },
  byModel: {},
};
const estimate = {
  lines: [
    { role: "teacher", model: "gpt-4o", calls: 12, inputTokens: 0, outputTokens: 0, usd: 0.06 },
    { role: "judge", model: "gpt-4o-mini", calls: 120, inputTokens: 0, outputTokens: 0, usd: 0.36 },
    { role: "student", model: "gpt-4o-mini", calls: 320, inputTokens: 0, outputTokens: 0, usd: 0.07 },
  ],
  calls: 452,
  usd: 0.49,
} as Estimate;

const agreement = (n: number): Agreement => ({
  n,
  spearman: { value: 0.71, reason: null },
  mae: 0.142,
  noise: 0.031,
  scores: new Map(),
  spread: { judge: { min: 0, max: 1, sd: 0.3 }, people: { min: 0, max: 1, sd: 0.4 } },
  undefinedBecause: null,
  summary: "",
  tooPoor: false,
});

const search = {
  candidates: [seed, better],
  finalists: [better],
  stoppedBy: "iterations",
} as unknown as SearchOutcome;

const version = (n: number, score: number | null, status: PromptVersion["status"]): PromptVersion => ({
  id: `0193a000-0000-7000-8000-00000000000${n}`,
  task_id: "0193a000-0000-5000-8000-000000000000",
  version_number: n,
  prompt_text: SEED_TEMPLATE,
  eval_score: score,
  status,
  optimizer: n === 1 ? null : "kaizen",
  dspy_version: null,
  created_at: "2026-11-20T10:00:00.000Z",
  job_id: null,
});

const base = (test: Example[]): Omit<ReportInput, "gate"> => ({
  task: "triage",
  kind: "optimize",
  seedTemplate: SEED_TEMPLATE,
  evaluator: { name: "LLM judge (gpt-4o-mini)", usesJudge: true },
  agreement: agreement(test.length * 3),
  search,
  estimate,
  spent,
  calls: { made: 412, cached: 40 },
  durationSeconds: 184.2,
  test,
  sizes: { train: test.length * 2, val: test.length * 2, test: test.length },
  history: [version(1, null, "archived"), version(2, 0.62, "active")],
  footer: {
    jobId: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    runUrl: "https://github.com/acme/desk/actions/runs/42",
  },
});

/** A candidate that ships: 40 held-out examples, +20 points. */
export function shipInput(): ReportInput {
  const test = examples(40);
  return {
    ...base(test),
    gate: gate(
      test,
      (i) => (i % 5 < 3 ? 1 : 0),
      (i) => (i % 5 < 4 ? 1 : i % 10 === 9 ? 0.5 : 0),
      { mean: 0.2, low: 0.075, high: 0.325 },
      true,
    ),
    production: {
      model: "gpt-4o-mini",
      before: { inputTokens: 41.2, outputTokens: 3, usdPer1000: 0.00798 },
      after: { inputTokens: 96.5, outputTokens: 3, usdPer1000: 0.016275 },
    },
    lineage: [
      {
        change: "instruction",
        rationale: better.rationale,
        examples: { before: 0, after: 0, added: 0, removed: 0 },
        validation: { before: 0.6125, after: 0.8, examples: 80 },
      },
    ],
  };
}

/** Sixteen solved tickets quoted from feedback, as the search's examples children carry them. */
export const DEMOS: Demonstration[] = Array.from({ length: 16 }, (_, i) => ({
  id: `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4${String(100 + i).padStart(3, "0")}`,
  inputs: { ticket: `${TICKETS[i % TICKETS.length]!}${i >= TICKETS.length ? " (again)" : ""}` },
  output: LABELS[i % LABELS.length]!,
}));

/**
 * A few-shot winner (the long-demonstration world's shape): a one-sentence rule added to the
 * instruction, then sixteen quoted tickets; a model server that left out `usage` on some calls.
 */
export function fewShotInput(): ReportInput {
  const input = shipInput();
  const instruction = CANDIDATE_TEMPLATE;
  const winner = input.gate!.winner!;
  const fewShot: Candidate = {
    ...better,
    id: 3,
    parent: 1,
    instruction,
    demos: DEMOS,
    template: withDemonstrations(instruction, DEMOS, "text"),
  };
  winner.candidate = fewShot;
  return {
    ...input,
    search: { ...input.search!, candidates: [seed, better, fewShot], finalists: [fewShot] },
    calls: { made: 412, cached: 40, usageCounted: 96 },
    production: {
      model: "gpt-4o-mini",
      before: { inputTokens: 73, outputTokens: 3, usdPer1000: 0.01275 },
      after: { inputTokens: 950, outputTokens: 3, usdPer1000: 0.1443 },
    },
    lineage: [
      ...input.lineage!,
      {
        change: "examples",
        rationale: null,
        examples: { before: 0, after: 16, added: 16, removed: 0 },
        validation: { before: 0.8, after: 0.8375, examples: 80 },
      },
    ],
  };
}

/** No candidate beyond noise on 12 held-out examples; and a first job (no score on record). */
export function noShipInput(): ReportInput {
  const test = examples(12);
  return {
    ...base(test),
    history: [version(1, null, "active")],
    gate: gate(
      test,
      (i) => (i % 4 < 2 ? 1 : 0),
      (i) => (i % 4 < 2 || i === 3 ? 1 : i === 2 ? 0.5 : 0),
      { mean: 0.125, low: -0.042, high: 0.292 },
      false,
    ),
  };
}

/** A person's edit of the prompt, scored against the active version (`kaizen eval`, the check run). */
export function editInput(): ReportInput {
  return { ...shipInput(), kind: "eval", search: null, estimate, footer: { jobId: null, runUrl: null } };
}

/** The evaluator disagrees with people: no search. */
export function untrustedInput(): ReportInput {
  const test = examples(12);
  return {
    ...base(test),
    agreement: { ...agreement(36), spearman: { value: 0.12, reason: null }, tooPoor: true },
    search: null,
    gate: null,
  };
}

/** Too little usable feedback: no search. */
export function notEnoughDataInput(): ReportInput {
  return {
    ...base([]),
    agreement: null,
    search: null,
    gate: null,
    estimate: null,
    spent: null,
    sizes: { train: 0, val: 0, test: 0 },
    notEnoughData: { usable: 12, needed: 30, total: 19 },
  };
}
