/**
 * The run's spending in US dollars. Every call reserves its worst-case cost before it is sent
 * and is refused when that would cross the limit; the reservation is settled with the real
 * cost from the response's usage, as the provider reports it, even when it exceeds the
 * reservation (the overrun is recorded and reported, never hidden). A floor is set aside from
 * the start for the final test, so a run can always afford to decide. Reservations carry a
 * margin (gateway.ts) so that spent + reserved stays within the limit in practice.
 */
import type { CallRole } from "./llm/types.js";
import { BudgetExceededError } from "./errors.js";

export interface Reservation {
  readonly id: number;
  readonly amount: number;
  readonly fromFloor: boolean;
}

export interface BudgetSnapshot {
  limitUsd: number | null;
  spentUsd: number;
  reservedUsd: number;
  floorUsd: number;
  /** What calls cost beyond their reservations, summed: 0 when every reservation held. */
  overrunUsd: number;
  calls: number;
  byRole: Record<CallRole, { calls: number; usd: number }>;
  byModel: Record<string, { calls: number; usd: number; inputTokens: number; outputTokens: number }>;
}

export class Budget {
  readonly limitUsd: number | null;
  #spent = 0;
  #reserved = 0;
  #floor = 0;
  #floorReserved = 0;
  #next = 1;
  #open = new Map<number, Reservation>();
  #calls = 0;
  #overrun = 0;
  #byRole: BudgetSnapshot["byRole"] = {
    student: { calls: 0, usd: 0 },
    judge: { calls: 0, usd: 0 },
    teacher: { calls: 0, usd: 0 },
  };
  #byModel: BudgetSnapshot["byModel"] = {};

  /** @param limitUsd null for no limit */
  constructor(limitUsd: number | null) {
    this.limitUsd = limitUsd;
  }

  /** Sets aside `amount` for the phase that must always run (the final test). */
  setFloor(amount: number): void {
    this.#floor = amount;
  }

  get remainingUsd(): number {
    return this.limitUsd === null ? Infinity : this.limitUsd - this.#spent - this.#reserved;
  }

  /**
   * @param fromFloor the final test may spend the floor; every other phase must leave it
   * @throws BudgetExceededError
   */
  reserve(amount: number, fromFloor = false): Reservation {
    if (this.limitUsd !== null) {
      const floorLeft = Math.max(0, this.#floor - this.#floorReserved);
      const available = this.limitUsd - this.#spent - this.#reserved - (fromFloor ? 0 : floorLeft);
      if (amount > available + 1e-12) throw new BudgetExceededError(amount, Math.max(0, available));
    }
    const reservation = { id: this.#next++, amount, fromFloor };
    this.#open.set(reservation.id, reservation);
    this.#reserved += amount;
    if (fromFloor) this.#floorReserved += amount;
    return reservation;
  }

  /** Replaces the reservation by what the call really cost, as reported, overrun included. */
  settle(
    reservation: Reservation,
    actual: { usd: number; role: CallRole; model: string; inputTokens: number; outputTokens: number },
  ): void {
    if (!this.#open.delete(reservation.id)) return;
    this.#reserved -= reservation.amount;
    if (reservation.fromFloor) this.#floorReserved -= reservation.amount;
    const usd = actual.usd;
    this.#overrun += Math.max(0, usd - reservation.amount);
    this.#spent += usd;
    if (reservation.fromFloor) this.#floor = Math.max(0, this.#floor - usd);
    this.#calls++;
    this.#byRole[actual.role].calls++;
    this.#byRole[actual.role].usd += usd;
    const model = (this.#byModel[actual.model] ??= { calls: 0, usd: 0, inputTokens: 0, outputTokens: 0 });
    model.calls++;
    model.usd += usd;
    model.inputTokens += actual.inputTokens;
    model.outputTokens += actual.outputTokens;
  }

  /** Gives a reservation back (the call failed and cost nothing). */
  release(reservation: Reservation): void {
    if (!this.#open.delete(reservation.id)) return;
    this.#reserved -= reservation.amount;
    if (reservation.fromFloor) this.#floorReserved -= reservation.amount;
  }

  snapshot(): BudgetSnapshot {
    return {
      limitUsd: this.limitUsd,
      spentUsd: this.#spent,
      reservedUsd: this.#reserved,
      floorUsd: this.#floor,
      overrunUsd: this.#overrun,
      calls: this.#calls,
      byRole: structuredClone(this.#byRole),
      byModel: structuredClone(this.#byModel),
    };
  }
}
