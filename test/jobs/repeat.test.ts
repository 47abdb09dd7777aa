import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { repeatAfterEach } from "../../src/jobs/repeat.js";

describe("the heartbeat's timer", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("never starts a beat while the previous one is still writing, however slow the writes", async () => {
    let running = 0;
    let most = 0;
    let beats = 0;
    const stop = repeatAfterEach(1_000, async () => {
      running++;
      most = Math.max(most, running);
      beats++;
      // A commit three times slower than the interval: setInterval would pile three beats up.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      running--;
    });
    await vi.advanceTimersByTimeAsync(20_000);
    stop();
    expect(most).toBe(1);
    expect(beats).toBe(5); // one beat every 1 s + 3 s
    await vi.advanceTimersByTimeAsync(20_000);
    expect(beats).toBe(5);
  });
});
