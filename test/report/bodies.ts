/**
 * Every body Kaizen writes to GitHub, rendered from the fixtures: what the structure test parses
 * and what scripts/render-report.ts screenshots.
 */
import type { PromptVersion } from "../../src/core/records.js";
import { renderDashboard } from "../../src/report/dashboard.js";
import { renderReport } from "../../src/report/index.js";
import { pendingJob, promptVersion, stoppedCanary } from "../helpers/records.js";
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
  const version = (n: number, score: number | null, status: PromptVersion["status"]) =>
    promptVersion(n, score, status, {
      id: `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a${50 + n}`,
      task_id: "0193a1b2-c3d4-5e5f-8a9b-0c1d2e3f4a5b",
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
      canary: stoppedCanary(version(3, null, "candidate").id),
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
