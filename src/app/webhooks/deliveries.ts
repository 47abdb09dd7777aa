/**
 * Which webhook deliveries were handled. GitHub redelivers a failed delivery to whichever app
 * instance answers, so a delivery is marked handled only once its handler succeeded, and the
 * mark lives where every instance sees it and a restart keeps it: the data branch, for a day.
 * In memory, each instance also skips ids it is handling or has handled.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Store } from "../../store/store.js";

/** How long a handled delivery's id is kept: GitHub redelivers within hours, not days. */
export const DELIVERY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** A claim older than this, never marked handled, belonged to an instance that died: take it over. */
export const DELIVERY_LEASE_MS = 10 * 60 * 1000;

const DELIVERIES_DIR = "deliveries";
const DeliveryRecord = z.object({ state: z.enum(["claimed", "handled"]), at: z.string() });

/** A delivery id as a file name: GitHub's ids are UUIDs; anything else is hashed. */
function deliveryPath(id: string): string {
  const name = /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : createHash("sha256").update(id).digest("hex");
  return `${DELIVERIES_DIR}/${name}.json`;
}

/** The delivery ids seen lately by this instance, so that a redelivery is handled once here. */
export class RecentDeliveries {
  #handled = new Set<string>();
  #inFlight = new Set<string>();
  #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** True when this instance may handle the delivery now (not handled, not being handled). */
  begin(id: string): boolean {
    if (this.#handled.has(id) || this.#inFlight.has(id)) return false;
    this.#inFlight.add(id);
    return true;
  }

  /** The handler ended: succeeded (remember the id) or failed (let a redelivery run it). */
  end(id: string, succeeded: boolean): void {
    this.#inFlight.delete(id);
    if (!succeeded) return;
    this.#handled.add(id);
    if (this.#handled.size > this.#capacity)
      this.#handled.delete(this.#handled.values().next().value as string);
  }
}

/**
 * Runs `handler` for a delivery unless some instance handled it (or is handling it) already;
 * the id is marked handled on the data branch only after the handler succeeded, and released
 * when it failed so that GitHub's redelivery runs it again.
 */
export async function handleOnce(
  store: Store,
  id: string,
  handler: () => Promise<void>,
  now: () => Date = () => new Date(),
): Promise<"handled" | "skipped"> {
  const path = deliveryPath(id);
  const claimed = await store.transact(`Claim webhook delivery ${id}`, async (tx) => {
    const existing = await tx.readJson(path, DeliveryRecord);
    const time = now().getTime();
    if (existing?.state === "handled") return false;
    if (existing?.state === "claimed" && time - Date.parse(existing.at) < DELIVERY_LEASE_MS) return false;
    // Forget deliveries older than a day, so the directory stays small.
    for (const old of await tx.list(DELIVERIES_DIR)) {
      if (old === path) continue;
      const record = await tx.readJson(old, DeliveryRecord);
      if (record && time - Date.parse(record.at) > DELIVERY_RETENTION_MS) tx.delete(old);
    }
    tx.writeJson(path, DeliveryRecord, { state: "claimed", at: now().toISOString() });
    return true;
  });
  if (!claimed) return "skipped";
  try {
    await handler();
  } catch (error) {
    await store.transact(`Release webhook delivery ${id}`, (tx) => tx.delete(path));
    throw error;
  }
  await store.transact(`Webhook delivery ${id} handled`, (tx) =>
    tx.writeJson(path, DeliveryRecord, { state: "handled", at: now().toISOString() }),
  );
  return "handled";
}
