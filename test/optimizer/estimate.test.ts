import { describe, expect, it } from "vitest";
import { priceTable } from "../../src/core/prices.js";
import {
  BudgetTooSmallError,
  DEFAULT_PLAN,
  estimateRun,
  estimateTable,
  fitToBudget,
  splitSizes,
  toCostEstimate,
  tokenMeans,
} from "../../src/optimizer/estimate.js";
import { judgeContext, judgeMessages } from "../../src/optimizer/evaluators/judge.js";
import { countMessageTokens, countTokens } from "../../src/optimizer/llm/tokens.js";

const prices = priceTable({
  t: { input_per_mtok: 10, output_per_mtok: 20 },
  j: { input_per_mtok: 1, output_per_mtok: 2 },
  s: { input_per_mtok: 1, output_per_mtok: 1 },
});
const models = { teacher: "t", judge: "j", student: "s" };
const tokens = { studentInput: 100, output: 50, template: 80 };
const sizes = { train: 50, val: 30, test: 20 };

describe("the cost estimate", () => {
  it("plans the calls of anchors §8.3, checked by hand", () => {
    // I=12, N0=3 (15 proposals), b=6, a=0.3, f=0.6, k=2, r=10, V=30, T=20, 8 train critiques
    // evaluations = 15·6·1.5 (child + half the parents) + 15·0.3·0.6·30 (racing) + 0.6·30 (the seed
    //               on validation) + 3·20 (test) = 135 + 81 + 18 + 60 = 294 student calls
    // judge   = 30 + 20 (logged val ∪ test) + 10 (re-judge) + 8 (train critiques) + 294 = 362
    // teacher = 15, one per proposal
    const estimate = estimateRun(sizes, tokens, models, prices, DEFAULT_PLAN);
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 15],
      ["judge", 362],
      ["student", 294],
    ]);
    expect(estimate.calls).toBe(671);
    // student: 294 calls × (100 in × $1 + 50 out × $1) / 1M = $0.0441
    expect(estimate.lines[2]!.usd).toBeCloseTo(0.0441, 8);
    expect(toCostEstimate(estimate, models)).toMatchObject({
      estimated_llm_calls: 671,
      train_size: 50,
      val_size: 30,
      max_trials: 15,
      teacher_model: "t",
      judge_model: "j",
    });
    expect(estimateTable(estimate)).toContain("| student | `s` | 294 |");
  });

  it("plans no judge call when the evaluator is deterministic", () => {
    const estimate = estimateRun(sizes, tokens, models, prices, { ...DEFAULT_PLAN, usesJudge: false });
    expect(estimate.lines.map((l) => [l.role, l.calls])).toEqual([
      ["teacher", 15],
      ["student", 294],
    ]);
  });

  it("shows the plan in tokens when a model has no price, and never fits it to a budget", () => {
    const partial = priceTable({ t: { input_per_mtok: 10, output_per_mtok: 20 } });
    const estimate = fitToBudget(sizes, tokens, { ...models, student: "mystery-model" }, partial, 0.0001);
    expect(estimate.unpriced).toEqual(["j", "mystery-model"]);
    const table = estimateTable(estimate);
    expect(table).toContain("| student | `mystery-model` | 294 | 29,400 | 14,700 | no price |");
    expect(table).toContain("**unknown**");
  });

  it("fits the largest plan into a budget, and refuses one that cannot pay for three iterations", () => {
    const full = estimateRun(sizes, tokens, models, prices);
    const fitted = fitToBudget(sizes, tokens, models, prices, full.usd * 0.7);
    expect(fitted.plan.iterations).toBeLessThan(12);
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
      ...DEFAULT_PLAN,
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
    // 3 first proposals + 12 iterations, of which 0, 3, 6 and 9 swap examples.
    expect(teacher(quotable)).toBe(11);
    // A broken seed: 6 well-scored records of 120, all dealt to test and validation first.
    const broken = Array.from({ length: 120 }, (_, i) => record(i, `answer ${i}`, i < 6 ? 1 : 0));
    expect(tokenMeans(template, broken).demo).toBe(0);
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
      estimateRun(sizes, { ...t, demo: 0 }, models, prices).lines.find((l) => l.role === "judge")!.calls;
    // Free text: every evaluation is judged (362, as worked by hand above).
    expect(judgeCalls(prose)).toBe(362);
    // Labels: the first evaluation of each record touched (50 train + 30 + 20), and 3/60 of the
    // other 194, besides the 68 judgments of the logs: 68 + 100 + 9.7 = 178.
    expect(judgeCalls(labels)).toBe(178);
  });

  it("says what the run costs when nothing beats the active prompt: it stops at patience, validates and tests nothing", () => {
    // 3 + 8 proposals (patience 8), each on a minibatch with half its parent: 11·6·1.5 = 99 student
    // calls; judge: 68 judgments of the logs + 99 (free text: every output is new) = 167; teacher 11.
    const estimate = estimateRun(sizes, tokens, models, prices);
    expect(estimate.ifNothingFound).toMatchObject({ calls: 11 + 167 + 99, iterations: 8 });
    expect(estimate.ifNothingFound!.usd).toBeLessThan(estimate.usd);
    expect(estimateTable(estimate)).toContain(
      `If no candidate beats the active prompt, the search stops after 8 iterations without validating or testing anything: about 277 calls, $${estimate.ifNothingFound!.usd.toFixed(4)}.`,
    );
  });
});
