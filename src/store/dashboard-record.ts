/**
 * Kaizen's own record of its dashboard issue, on the data branch (outside per-task `state/`):
 * a tick is trusted only on the issue Kaizen wrote.
 */
import { z } from "zod";
import type { Store } from "./store.js";

const DASHBOARD_RECORD = "github/dashboard.json";
const DashboardRecord = z.object({ issue_number: z.number().int().positive() });

/**
 * Remembers the dashboard's issue number, so that a tick is trusted only on that issue;
 * writes nothing when it is already recorded.
 */
export async function recordDashboardIssue(
  store: Pick<Store, "transact">,
  issueNumber: number,
): Promise<void> {
  await store.transact(`Record the dashboard issue #${issueNumber}`, async (tx) => {
    const current = await tx.readJson(DASHBOARD_RECORD, DashboardRecord);
    if (current?.issue_number !== issueNumber)
      tx.writeJson(DASHBOARD_RECORD, DashboardRecord, { issue_number: issueNumber });
  });
}

/** The recorded dashboard issue number, or null before Kaizen wrote its dashboard. */
export async function recordedDashboardIssue(store: Pick<Store, "transact">): Promise<number | null> {
  return store.transact("Read the dashboard issue record", async (tx) => {
    return (await tx.readJson(DASHBOARD_RECORD, DashboardRecord))?.issue_number ?? null;
  });
}
