import { beforeAll, describe, expect, it } from "vitest";
import { priceTable } from "../../src/core/prices.js";
import {
  BudgetTooSmallError,
  estimateRun,
  estimateTable,
  fitToBudget,
  toCostEstimate,
  tokenMeans,
} from "../../src/optimizer/estimate.js";
import { splitSizes } from "../../src/optimizer/dataset.js";
import { DEFAULT_KNOBS } from "../../src/optimizer/knobs.js";
import { judgeContext, judgeMessages } from "../../src/optimizer/prompts.js";
import { countMessageTokens, countTokens, loadTokenizer } from "../../src/optimizer/llm/tokens.js";

const prices = priceTable({
  t: { input_per_mtok: 10, output_per_mtok: 20 },
  j: { input_per_mtok: 1, output_per_mtok: 2 },
  s: { input_per_mtok: 1, output_per_mtok: 1 },
});
const models = { teacher: "t", judge: "j", student: "s" };
const tokens = { studentInput: 100, output: 50, template: 80 };
const sizes = { train: 50, val: 30, test: 20 };

// The tables load on demand (planRun, the pipeline and the gateway load them); these count directly.
beforeAll(() => loadTokenizer());

describe("the cost estimate", () => {
  it("plans the calls of anchors §8.3, checked by hand", () => {
    // I=12, N0=3 (15 proposals), b=10, a=0.3, f=0.6, k=2, r=10, V=30, T=20, 8 train critiques
    // evaluations = 8 (the seed on the worst train records, for the teacher) + 15·10·1.5 (child +
    //               half the parents) + 15·0.3·0.6·30 (racing) + 30 (the seed on validation, once)
    //               + 3·20 (test) = 8 + 225 + 81 + 30 + 60 = 404 student calls
    // judge   = 30 + 20 (logged val ∪ test) + 10 (re-judge) + 8 (train critiques) + 404 = 472
    // teacher = 15, one per proposal
    const estimate = estimateRun(sizes, tokens, models, prices, DEFAULT_KNOBS);
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 15],
      ["judge", 472],
      ["student", 404],
    ]);
    expect(estimate.calls).toBe(891);
    // student: the seed's 8 + 15 + 30 + 20 = 73 evaluations read the template's 100 tokens, the
    // other 331 a rewrite 50 tokens longer: (404·100 + 331·50 in + 404·50 out) × $1 / 1M = $0.07715
    expect(estimate.lines[2]!.usd).toBeCloseTo(0.07715, 8);
    expect(toCostEstimate(estimate, models)).toMatchObject({
      estimated_llm_calls: 891,
      train_size: 50,
      val_size: 30,
      max_trials: 15,
      teacher_model: "t",
      judge_model: "j",
    });
    expect(estimateTable(estimate)).toContain("| student | `s` | 404 |");
  });

  it("plans no judge call when the evaluator is deterministic", () => {
    const estimate = estimateRun(sizes, tokens, models, prices, { ...DEFAULT_KNOBS, usesJudge: false });
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 15],
      ["student", 404],
    ]);
  });

  it("shows the plan in tokens when a model has no price, and never fits it to a budget", () => {
    const partial = priceTable({ t: { input_per_mtok: 10, output_per_mtok: 20 } });
    const estimate = fitToBudget(sizes, tokens, { ...models, student: "mystery-model" }, partial, 0.0001);
    expect(estimate.unpriced).toEqual(["j", "mystery-model"]);
    const table = estimateTable(estimate);
    expect(table).toContain("| student | `mystery-model` | 404 | 56,950 | 20,200 | no price |");
    expect(table).toContain("**unknown**");
  });

  it("fits the largest plan into a budget, and refuses one that cannot pay for three iterations", () => {
    const full = estimateRun(sizes, tokens, models, prices);
    const fitted = fitToBudget(sizes, tokens, models, prices, full.usd * 0.7);
    expect(fitted.knobs.iterations).toBeLessThan(12);
    expect(fitted.usd).toBeLessThanOrEqual(full.usd * 0.7);
    expect(() => fitToBudget(sizes, tokens, models, prices, 0.0001)).toThrow(BudgetTooSmallError);
  });

  it("splits 50% / 30% capped at 80 / 20% capped at 60", () => {
    expect(splitSizes(100)).toEqual({ train: 50, val: 30, test: 20 });
    expect(splitSizes(1000)).toEqual({ train: 860, val: 80, test: 60 });
  });
});

describe("the estimate counts what the run does", () => {
  const record = (i: number, output: string, score: number) => ({
    inputs: { ticket: `ticket ${i}: ${"the printer on floor three is jammed again ".repeat(4)}` },
    output,
    score,
    expected: null,
  });
  const template = "Classify the ticket: {{ticket}}";

  it("measures the judge's and the teacher's requests on the task's own records", () => {
    const records = Array.from({ length: 40 }, (_, i) => record(i, `answer number ${i}`, (i % 5) / 4));
    const task = { description: "Route support tickets.", rubric: "Name the right team." };
    const tokens = tokenMeans(template, records, task);
    const context = judgeContext({ ...task, anchors: records });
    const judgeRequest = countMessageTokens(judgeMessages(context, records[0]!, records[0]!.output));
    // Every record here has the same length, so the mean is one record's request.
    expect(tokens.judgeInput).toBeCloseTo(judgeRequest, 0);
    expect(tokens.teacherCase).toBeGreaterThan(countTokens(JSON.stringify(records[0]!.inputs)));
    // Longer records make longer judge and teacher requests (the old estimate used fixed frames).
    const long = records.map((r) => ({ ...r, output: `${r.output} ${"and more words ".repeat(50)}` }));
    const longer = tokenMeans(template, long, task);
    expect(longer.judgeInput! - tokens.judgeInput!).toBeGreaterThan(100);
    const judge = (t: typeof tokens) =>
      estimateRun(sizes, t, models, prices).lines.find((l) => l.role === "judge")!;
    expect(judge(longer).inputTokens / judge(longer).calls).toBeGreaterThan(
      judge(tokens).inputTokens / judge(tokens).calls + 100,
    );
  });

  it("plans no judge call in an exact-match task, with tokens from its data", () => {
    const records = Array.from({ length: 40 }, (_, i) => record(i, "BILLING", 1));
    const estimate = estimateRun(sizes, tokenMeans(template, records), models, prices, {
      ...DEFAULT_KNOBS,
      usesJudge: false,
    });
    expect(estimate.lines.map((l) => l.role)).toEqual(["teacher", "student"]);
  });

  it("asks the teacher nothing on the iterations that swap examples, and only when train has some to quote", () => {
    // 40 well-scored records: the split leaves some in train, so every third iteration swaps examples.
    const quotable = tokenMeans(
      template,
      Array.from({ length: 40 }, (_, i) => record(i, `answer ${i}`, 1)),
    );
    const teacher = (t: typeof quotable) =>
      estimateRun(sizes, t, models, prices).lines.find((l) => l.role === "teacher")!.calls;
    // 3 first proposals + 12 iterations, of which 0 and 3 swap examples; after two sets that fail
    // the search gives 6 and 9 to the teacher, and whether a set will validate is not known before.
    expect(teacher(quotable)).toBe(13);
    // A broken seed: no record scored well, so train has none to quote.
    const broken = Array.from({ length: 120 }, (_, i) => record(i, `answer ${i}`, 0));
    expect(tokenMeans(template, broken).demoSet).toBe(0);
    expect(teacher(tokenMeans(template, broken))).toBe(15);
  });

  it("pays the judge once per distinct output of a record: label answers repeat, free text does not", () => {
    const labels = tokenMeans(
      template,
      Array.from({ length: 60 }, (_, i) => record(i, ["BILLING", "LOGIN", "OTHER"][i % 3]!, (i % 3) / 2)),
    );
    const prose = tokenMeans(
      template,
      Array.from({ length: 60 }, (_, i) => record(i, `a reply written for ticket ${i}`, (i % 3) / 2)),
    );
    expect(labels.distinctOutputs).toBeCloseTo(3 / 60, 5);
    expect(prose.distinctOutputs).toBe(1);
    const judgeCalls = (t: typeof labels) =>
      estimateRun(sizes, { ...t, demoSet: 0 }, models, prices).lines.find((l) => l.role === "judge")!.calls;
    // Free text: every evaluation is judged (472, as worked by hand above).
    expect(judgeCalls(prose)).toBe(472);
    // Labels: the first evaluation of each record touched (50 train + 30 + 20), and 3/60 of the
    // other 304, besides the 68 judgments of the logs: 68 + 100 + 15.2 = 183.2, so 184.
    expect(judgeCalls(labels)).toBe(184);
  });

  it("says what the run costs when no child beats its parent: every iteration, nothing validated or tested", () => {
    // The seed on 8 train records, then 3 + 12 proposals (every planned iteration runs), each on a
    // minibatch with half its parent: 8 + 15·10·1.5 = 233 student calls; judge: 68 judgments of
    // the logs + 233 (free text: every output is new) = 301; teacher 15.
    const estimate = estimateRun(sizes, tokens, models, prices);
    expect(estimate.ifNothingFound).toMatchObject({ calls: 15 + 301 + 233 });
    expect(estimate.ifNothingFound!.usd).toBeLessThan(estimate.usd);
    expect(estimateTable(estimate)).toContain(
      `If no candidate beats its parent on a minibatch, nothing is validated or tested: about 549 calls, $${estimate.ifNothingFound!.usd.toFixed(4)}.`,
    );
  });
});
