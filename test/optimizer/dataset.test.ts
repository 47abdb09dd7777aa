import { describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.js";
import { measureAgreement } from "../../src/optimizer/agreement.js";
import {
  loadExamples,
  MIN_USABLE,
  splitSizes,
  stratifiedSplit,
  type Example,
} from "../../src/optimizer/dataset.js";
import { DEFAULT_KNOBS } from "../../src/optimizer/knobs.js";
import { shipLevel } from "../../src/optimizer/gate.js";
import { decisiveSize } from "../../src/optimizer/stats.js";
import type { Evaluator } from "../../src/optimizer/evaluators/index.js";
import { feedback } from "../helpers/records.js";

async function* stream<T>(items: T[]) {
  // An async source, as the store's feedback stream is: each item arrives after a tick.
  for (const item of items) yield await Promise.resolve(item);
}

describe("the optimizer's data", () => {
  it("holds out enough examples, from the minimum of usable feedback up, for a candidate that wins them all to ship", () => {
    // By construction: a job that runs at all can ship (6 wins of 6 pass at 0.025 for two finalists).
    for (let usable = MIN_USABLE; usable <= 2_000; usable++)
      expect(splitSizes(usable).test, `${usable} usable entries`).toBeGreaterThanOrEqual(
        decisiveSize(shipLevel(DEFAULT_KNOBS.topK)),
      );
  });

  it("splits deterministically from the seed, stratified by score", () => {
    const examples: Example[] = Array.from({ length: 100 }, (_, i) => ({
      id: `e${i}`,
      inputs: { i },
      output: "o",
      score: i < 50 ? 0 : 1,
      expected: null,
    }));
    const a = stratifiedSplit(examples, new Random("s"));
    const b = stratifiedSplit(examples, new Random("s"));
    expect(a).toEqual(b);
    expect([a.train.length, a.val.length, a.test.length]).toEqual([50, 30, 20]);
    for (const part of [a.train, a.val, a.test])
      expect(part.filter((e) => e.score === 1).length / part.length).toBeCloseTo(0.5, 1);
    expect(stratifiedSplit(examples, new Random("t")).test).not.toEqual(a.test);
  });

  it("gives every split its share of a small score bucket: train keeps well-scored records to learn from", () => {
    // 20% well-scored: a round-robin interleave used them all up in test and validation.
    const examples: Example[] = Array.from({ length: 100 }, (_, i) => ({
      id: `e${i}`,
      inputs: { i },
      output: "o",
      score: i % 5 === 0 ? 1 : i % 5 === 1 ? 0.5 : 0,
      expected: null,
    }));
    for (const seed of ["a", "b", "c"]) {
      const split = stratifiedSplit(examples, new Random(seed));
      const share = (part: Example[], score: number) => part.filter((e) => e.score === score).length;
      expect([share(split.train, 1), share(split.val, 1), share(split.test, 1)]).toEqual([10, 6, 4]);
      expect([share(split.train, 0.5), share(split.val, 0.5), share(split.test, 0.5)]).toEqual([10, 6, 4]);
    }
  });

  it("keeps usable entries, and takes reference answers from corrections or high-scored outputs", async () => {
    const entries = [
      feedback("t", 1, { inputs: { q: "a" }, output: "A!", score: 0.9 }),
      feedback("t", 2, { inputs: { q: "a" }, output: "a?", score: 0.1 }),
      feedback("t", 3, { inputs: { q: "b" }, output: "b?", score: 0.2, metadata: { expected_output: "B" } }),
      feedback("t", 4, { inputs: { q: "c" }, output: "c", score: null }),
    ];
    const loaded = await loadExamples(stream(entries), new Random("s"), 3);
    expect(loaded.enough).toBe(true);
    if (!loaded.enough) return;
    const byId = new Map(loaded.examples.map((e) => [e.id, e.expected]));
    expect([byId.get(entries[1]!.id), byId.get(entries[2]!.id), byId.has(entries[3]!.id)]).toEqual([
      "A!",
      "B",
      false,
    ]);
  });

  it("says how many more usable entries it needs below the minimum", async () => {
    const loaded = await loadExamples(
      stream(Array.from({ length: 12 }, (_, i) => feedback("t", i))),
      new Random("s"),
    );
    expect(loaded).toMatchObject({
      enough: false,
      usable: 12,
      message: expect.stringContaining("18 more are needed"),
    });
  });
});

describe("agreement with people's scores", () => {
  const judgeBy = (score: (e: Example) => number): Evaluator => ({
    usesJudge: false,
    name: "test",
    evaluate: (e) => Promise.resolve({ score: score(e), critique: null, details: [] }),
  });
  const examples: Example[] = Array.from({ length: 20 }, (_, i) => ({
    id: `e${i}`,
    inputs: { i },
    output: "o",
    score: (i % 5) / 4,
    expected: null,
  }));

  it("reports a constant evaluator as undefined agreement with the reason, not a crash", async () => {
    const agreement = await measureAgreement(
      judgeBy(() => 1),
      examples,
      [],
    );
    expect(agreement.spearman).toEqual({ value: null, reason: expect.stringContaining("constant") });
    expect(agreement.tooPoor).toBe(false);
    expect(agreement.summary).toMatch(/^Agreement with people's scores is undefined/);
  });

  it("flags an evaluator that disagrees with people as too poor to optimize against", async () => {
    const agreement = await measureAgreement(
      judgeBy((e) => 1 - e.score),
      examples,
      [],
    );
    expect(agreement.spearman.value).toBeCloseTo(-1);
    expect(agreement.tooPoor).toBe(true);
    const good = await measureAgreement(
      judgeBy((e) => e.score),
      examples,
      [],
    );
    expect(good).toMatchObject({ tooPoor: false, mae: 0 });
  });
});
