import { describe, expect, it } from "vitest";
import {
  ARM_ALPHA,
  foldEntries,
  startCanary,
  type CanaryState,
  type ScoredEntry,
} from "../../src/core/canary.js";
import { servesCandidate } from "../../src/core/canary-split.js";
import { addScore, emptyTally, type MeanTally } from "../../src/core/confidence-sequence.js";
import { formatConfigIssue } from "../../src/core/errors.js";
import { Random } from "../../src/core/random.js";
import { CanaryConfig } from "../../src/core/task-config-schema.js";
import { parseTaskConfig } from "../../src/core/task-config.js";

const ACTIVE = "00000000-0000-4000-8000-00000000000a";
const CANDIDATE = "00000000-0000-4000-8000-00000000000c";
const NOW = new Date("2026-12-03T12:00:00Z");
const config = (over: Partial<CanaryConfig> = {}) => CanaryConfig.parse(over);

/** Bernoulli(p) scores, or graded ones (a mean-p Beta-like mix) when `graded`. */
function draw(random: Random, p: number, graded = false): number {
  if (!graded) return random.next() < p ? 1 : 0;
  // The mean of three uniforms rescaled around p, clipped into [0, 1]: graded, mean ≈ p.
  const u = (random.next() + random.next() + random.next()) / 3;
  return Math.min(1, Math.max(0, p + (u - 0.5)));
}

/** Production traffic: each entry goes to the candidate with probability `share`. */
function traffic(
  random: Random,
  n: number,
  share: number,
  pActive: number,
  pCandidate: number,
): ScoredEntry[] {
  return Array.from({ length: n }, () =>
    random.next() < share
      ? { versionId: CANDIDATE, score: draw(random, pCandidate) }
      : { versionId: ACTIVE, score: draw(random, pActive) },
  );
}

/** Looked at after every entry: the decision and how many entries it took. */
function monitor(entries: readonly ScoredEntry[], canary: CanaryConfig) {
  let state: CanaryState = startCanary("t", CANDIDATE, ACTIVE, canary.share, NOW);
  for (const [i, entry] of entries.entries()) {
    state = foldEntries(state, [entry], canary, NOW);
    if (state.decision !== "collecting") return { decision: state.decision, after: i + 1 };
  }
  return { decision: state.decision, after: entries.length };
}

describe("the confidence sequence (Waudby-Smith & Ramdas, PrPl-EB)", () => {
  it("holds the true mean at every look in at least 1 − alpha of runs, where a z-interval re-checked after each entry does not", () => {
    const random = new Random("cs-coverage");
    const runs = 200;
    const length = 1_000;
    for (const [p, graded] of [
      [0.3, false],
      [0.5, false],
      [0.9, false],
      [0.6, true],
    ] as const) {
      let sequenceMissed = 0;
      let naiveMissed = 0;
      for (let run = 0; run < runs; run++) {
        let tally: MeanTally = emptyTally();
        let sum = 0;
        let squares = 0;
        let seqMiss = false;
        let naiveMiss = false;
        for (let i = 1; i <= length; i++) {
          const x = draw(random, p, graded);
          tally = addScore(tally, x, ARM_ALPHA);
          sum += x;
          squares += x * x;
          // The true mean of the graded draw is p (symmetric around it, clipped rarely at p ≤ 0.6).
          if (tally.low > p || tally.high < p) seqMiss = true;
          if (i >= 30) {
            const mean = sum / i;
            const sd = Math.sqrt(Math.max(squares / i - mean * mean, 1e-12));
            const half = (2.241 * sd) / Math.sqrt(i); // a fixed-n 97.5% interval
            if (Math.abs(mean - p) > half) naiveMiss = true;
          }
        }
        if (seqMiss) sequenceMissed++;
        if (naiveMiss) naiveMissed++;
      }
      expect(sequenceMissed / runs, `p=${p} graded=${graded}`).toBeLessThanOrEqual(ARM_ALPHA);
      // The reason for a sequence: peeking at a fixed-sample interval misses far more often.
      expect(naiveMissed / runs, `p=${p} graded=${graded}`).toBeGreaterThan(2 * ARM_ALPHA);
    }
  });

  it("narrows as entries arrive and never widens (running intersection)", () => {
    const random = new Random("cs-narrow");
    let tally = emptyTally();
    let width = 1;
    for (let i = 0; i < 2_000; i++) {
      tally = addScore(tally, draw(random, 0.7), ARM_ALPHA);
      expect(tally.high - tally.low).toBeLessThanOrEqual(width);
      width = tally.high - tally.low;
    }
    expect(width).toBeLessThan(0.15);
    expect(() => addScore(tally, 1.5, ARM_ALPHA)).toThrow(/\[0, 1\], got 1.5/);
  });
});

describe("the canary's decision", () => {
  it("makes a wrong decision in at most 5% of 200 runs of equal versions, looked at after every entry", () => {
    const random = new Random("canary-equal");
    let wrong = 0;
    for (let run = 0; run < 200; run++) {
      const result = monitor(traffic(random, 4_000, 0.3, 0.6, 0.6), config({ share: 0.3, min_samples: 50 }));
      if (result.decision !== "collecting") wrong++;
    }
    expect(wrong / 200).toBeLessThanOrEqual(0.05);
  });

  it("stops a candidate that is truly worse by more than max_loss", () => {
    const result = monitor(traffic(new Random("worse"), 6_000, 0.2, 0.8, 0.5), config({ share: 0.2 }));
    expect(result.decision).toBe("stop");
  });

  it("promotes a truly better candidate, only once each arm has min_samples", () => {
    const canary = config({ share: 0.5, min_samples: 400 });
    let state = startCanary("t", CANDIDATE, ACTIVE, 0.5, NOW);
    const random = new Random("better");
    for (const entry of traffic(random, 20_000, 0.5, 0.3, 0.9)) {
      state = foldEntries(state, [entry], canary, NOW);
      if (state.decision !== "collecting") break;
    }
    expect(state.decision).toBe("promote");
    expect(Math.min(state.arms.active.n, state.arms.candidate.n)).toBe(400);
    expect(state.reason).toMatch(/^the candidate is better, with/);
  });

  it("is final: entries after a decision change nothing, and other versions' entries are not tallied", () => {
    const canary = config({ share: 0.5 });
    const stopped = foldEntries(
      startCanary("t", CANDIDATE, ACTIVE, 0.5, NOW),
      traffic(new Random("final"), 3_000, 0.5, 1, 0),
      canary,
      NOW,
    );
    expect(stopped.decision).toBe("stop");
    expect(foldEntries(stopped, traffic(new Random("more"), 100, 0.5, 0, 1), canary, NOW)).toEqual(stopped);
    const other = foldEntries(
      startCanary("t", CANDIDATE, ACTIVE, 0.5, NOW),
      [{ versionId: "00000000-0000-4000-8000-0000000000ff", score: 1 }],
      canary,
      NOW,
    );
    expect(other.arms.active.n + other.arms.candidate.n).toBe(0);
  });
});

describe("which version a unit is served", () => {
  it("gives the candidate to the configured share of units, the same unit always the same side", async () => {
    const units = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const at = async (share: number) => {
      const flags = await Promise.all(units.map((u) => servesCandidate(u, CANDIDATE, share)));
      return units.filter((_, i) => flags[i]);
    };
    const served = await at(0.1);
    expect(Math.abs(served.length / units.length - 0.1)).toBeLessThan(0.01);
    expect(await at(0.1)).toEqual(served);
    // Raising the share only adds units; a share of 0 serves nobody the candidate.
    const wider = new Set(await at(0.3));
    expect(served.every((u) => wider.has(u))).toBe(true);
    expect(await at(0)).toEqual([]);
  });
});

describe("canary configuration", () => {
  it("fills the defaults and reports mistakes with file, line and field", () => {
    const file = ".kaizen/tasks/t.yml";
    expect(parseTaskConfig("name: t\ncanary: {share: 0.2}\n", file).config?.canary).toEqual({
      share: 0.2,
      min_samples: 200,
      max_loss: 0.05,
      promote: "manual",
    });
    expect(parseTaskConfig("name: t\n", file).config?.canary).toBeNull();
    const issues = parseTaskConfig(
      "name: t\ncanary:\n  share: 2\n  promote: always\n  max_los: 0.1\n",
      file,
    ).issues.map(formatConfigIssue);
    expect(issues).toEqual([
      expect.stringMatching(/^\.kaizen\/tasks\/t\.yml:3:\d+: error: canary\.share: .*0\.5/),
      expect.stringMatching(/^\.kaizen\/tasks\/t\.yml:4:\d+: error: canary\.promote: .*manual.*auto/),
      expect.stringMatching(
        /^\.kaizen\/tasks\/t\.yml:5:\d+: error: canary\.max_los: unknown key in canary \(did you mean "max_loss"\?\)/,
      ),
    ]);
  });
});
