/**
 * The one result of a run: what the optimizer found and what it cost, as data. The report
 * (src/report) renders it for people, the job (src/jobs) stores and ships it, the CLI and the
 * Action print it; the optimizer itself renders nothing.
 */
import type { Agreement } from "./agreement.js";
import type { BudgetSnapshot } from "./budget.js";
import type { Example } from "./dataset.js";
import type { Estimate } from "./estimate.js";
import type { GateOutcome } from "./gate.js";
import type { LineageStep } from "./lineage.js";
import type { ProductionCost } from "./production-cost.js";
import type { SearchOutcome } from "./search.js";

/** What a run measured: everything a report says about it. */
export interface RunEvidence {
  task: string;
  /** The prompt the run started from (the active one). */
  seedTemplate: string;
  evaluator: { name: string; usesJudge: boolean };
  /** Null when no search ran because there was not enough data. */
  agreement: Agreement | null;
  search: SearchOutcome | null;
  gate: GateOutcome | null;
  estimate: Estimate | null;
  spent: BudgetSnapshot | null;
  /**
   * Model calls made and answered from the cache; `usageCounted` of them came back without
   * `usage`, so Kaizen counted their tokens itself (the provider's bill may differ).
   */
  calls: { made: number; cached: number; usageCounted?: number };
  durationSeconds: number;
  test: readonly Example[];
  sizes: { train: number; val: number; test: number };
  /** Set when no search ran: too little usable feedback. */
  notEnoughData?: { usable: number; needed: number; total: number } | null;
  /** The optimizer's own reason when nothing ships for a reason the report cannot see (too few held-out examples, an unfit evaluator). */
  note?: string | null;
  /** The shown candidate's cost per call in production beside the active prompt's. */
  production?: ProductionCost | null;
  /** The steps from the active prompt to the winner, oldest first; empty when nothing ships. */
  lineage?: readonly LineageStep[];
}

export interface Outcome {
  /** better: a candidate proven on held-out data; otherwise there is nothing to ship. */
  verdict: "better" | "no-improvement" | "skipped";
  /** One line for people: what the run concluded. */
  step: string;
  evidence: RunEvidence;
  metadata: Record<string, unknown>;
  /** Every proposal of the search, one JSON object a line; null when no search ran. */
  ledger: string | null;
  candidate: {
    template: string;
    score: number;
    /** The prompt file (`prompt_path`), with the candidate written in the task's prompt_format. */
    path: string;
    fileText: string;
    /** The template the search started from (the prompt file's). */
    baseline: string;
    /** The task's github_base_branch; null for the default branch. */
    baseBranch: string | null;
  } | null;
  /** The open candidate's mean score on this run's held-out data, when there is a winner to compare. */
  openCandidate?: { version: number; score: number } | null;
}
