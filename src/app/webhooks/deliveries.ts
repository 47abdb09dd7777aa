/** The delivery ids seen lately, so that a redelivered webhook is handled once per instance. */
export class RecentDeliveries {
  #seen = new Set<string>();
  #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** True the first time an id is seen; the oldest ids are forgotten beyond the capacity. */
  firstTime(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > this.#capacity) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }
}
