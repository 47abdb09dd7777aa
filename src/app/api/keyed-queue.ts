/**
 * Runs work one at a time per key, in arrival order, on this instance. Used where many
 * concurrent requests would each do the same expensive read before one of them wins and the
 * rest are refused: in a queue, the first does the work and the others are refused cheaply.
 *
 * @example
 * const queue = new KeyedQueue();
 * await queue.run(`${repo}\n${task}`, () => startOptimization(task));
 */
export class KeyedQueue {
  #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
