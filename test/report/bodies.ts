/**
 * Every body Kaizen writes to GitHub, rendered from the fixtures: what the structure test parses
 * and what scripts/render-report.ts screenshots.
 */
import type { PromptVersion } from "../../src/core/records.js";
import { renderDashboard } from "../../src/report/dashboard.js";
import { renderReport } from "../../src/report/index.js";
import { pendingJob } from "../helpers/records.js";
import {
  editInput,
  fewShotInput,
  noShipInput,
  notEnoughDataInput,
  shipInput,
  untrustedInput,
} from "./fixtures.js";

export interface RenderedBody {
  name: string;
  markdown: string;
}

export function renderedBodies(): RenderedBody[] {
  return [
    { name: "report-ship", markdown: renderReport(shipInput()) },
    { name: "report-few-shot", markdown: renderReport(fewShotInput()) },
    { name: "report-no-ship", markdown: renderReport(noShipInput()) },
    { name: "report-edit", markdown: renderReport(editInput()) },
    { name: "report-untrusted", markdown: renderReport(untrustedInput()) },
    { name: "report-no-data", markdown: renderReport(notEnoughDataInput()) },
    { name: "dashboard", markdown: renderDashboard(dashboardTasks()) },
  ];
}

/** Two tasks as the dashboard issue shows them: one with a history and a failed job, one new. */
function dashboardTasks(): Parameters<typeof renderDashboard>[0] {
  const version = (n: number, score: number | null, status: PromptVersion["status"]): PromptVersion => ({
    id: `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a${50 + n}`,
    task_id: "0193a1b2-c3d4-5e5f-8a9b-0c1d2e3f4a5b",
    version_number: n,
    prompt_text: `v${n}`,
    eval_score: score,
    status,
    optimizer: null,
    dspy_version: null,
    created_at: "2026-11-20T00:00:00.000Z",
    job_id: null,
  });
  return [
    {
      name: "summarize_ticket",
      feedbackSinceOptimization: 61,
      threshold: 50,
      versions: [version(1, 0.62, "archived"), version(2, 0.74, "active"), version(3, null, "candidate")],
      jobs: [
        pendingJob("summarize_ticket", {
          status: "PR_FAILED",
          error_message: "GitHub was down | retry later",
          created_at: "2026-11-22T10:00:00.000Z",
        }),
        pendingJob("summarize_ticket", { status: "SUCCESS", created_at: "2026-11-22T10:05:00.000Z" }),
      ],
      canary: {
        candidate_version_id: version(3, null, "candidate").id,
        share: 0,
        arms: { active: { n: 212, mean: 0.74 }, candidate: { n: 208, mean: 0.61 } },
        difference: { estimate: -0.13, low: -0.21, high: -0.06 },
        decision: "stop",
        reason: "the candidate is worse by more than max_loss 0.05",
      },
    },
    {
      name: "classify",
      feedbackSinceOptimization: 3,
      threshold: 50,
      versions: [version(1, 0.5, "active")],
      jobs: [],
      canary: null,
    },
  ];
}
