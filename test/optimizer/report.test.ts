import { describe, expect, it } from "vitest";
import type { Agreement } from "../../src/optimizer/agreement.js";
import type { BudgetSnapshot } from "../../src/optimizer/budget.js";
import type { Example } from "../../src/optimizer/dataset.js";
import type { Evaluation } from "../../src/optimizer/evaluators/index.js";
import type { Estimate } from "../../src/optimizer/estimate.js";
import type { GateOutcome } from "../../src/optimizer/gate.js";
import { renderReport } from "../../src/optimizer/report.js";
import type { Candidate, SearchOutcome } from "../../src/optimizer/search.js";

const evaluation = (score: number): Evaluation => ({ score, critique: null, details: [] });
const scores = (values: Record<string, number>) =>
  new Map(Object.entries(values).map(([id, s]) => [id, evaluation(s)]));
const example = (id: string, question: string): Example =>
  ({ id, inputs: { question }, output: "", score: 0, expected: null }) as Example;

const seed: Candidate = {
  id: 0,
  template: "Answer {{question}}.\nBe brief.",
  parent: null,
  rationale: "",
  scores: new Map(),
  status: "seed",
  reason: null,
  costUsd: 0,
};
const first: Candidate = {
  id: 1,
  template: "Answer {{question}}.\nBe brief.\nGive the unit.",
  parent: 0,
  rationale: "answers lacked units",
  scores: new Map(),
  status: "validated",
  reason: null,
  costUsd: 0.01,
};
const rejected: Candidate = {
  id: 2,
  template: "x",
  parent: 0,
  rationale: "",
  scores: new Map(),
  status: "rejected",
  reason: "drops {{question}}",
  costUsd: 0,
};

const test = [
  example("a", "speed of light?"),
  example("b", "boiling point | water?"),
  example("c", "mass of earth?"),
];
const gate: GateOutcome = {
  seed: { scores: scores({ a: 0.2, b: 0.5, c: 0.9 }), mean: { mean: 0.533, low: 0.3, high: 0.8 } },
  results: [],
  winner: null,
};
gate.results.push({
  candidate: first,
  scores: scores({ a: 1, b: 0.9, c: 0.8 }),
  mean: { mean: 0.9, low: 0.8, high: 1 },
  gain: { mean: 0.367, low: 0.1, high: 0.6 },
});
gate.winner = gate.results[0]!;

const role = (calls: number, usd: number) => ({ calls, usd });
const spent = {
  limitUsd: 1,
  spentUsd: 0.0421,
  reservedUsd: 0,
  floorUsd: 0,
  overrunUsd: 0,
  calls: 40,
  byRole: { student: role(30, 0.002), judge: role(8, 0.03), teacher: role(2, 0.0101) },
  byModel: {},
} satisfies BudgetSnapshot;
const estimate = {
  lines: [
    { role: "teacher", model: "gpt-4o", calls: 3, inputTokens: 0, outputTokens: 0, usd: 0.015 },
    { role: "judge", model: "gpt-4o-mini", calls: 10, inputTokens: 0, outputTokens: 0, usd: 0.04 },
    { role: "student", model: "gpt-4o-mini", calls: 36, inputTokens: 0, outputTokens: 0, usd: 0.003 },
  ],
  calls: 49,
  usd: 0.058,
} as Estimate;
const search: SearchOutcome = {
  candidates: [seed, first, rejected],
  finalists: [first],
  stoppedBy: "patience",
  teacherAnswers: { total: 2, unreadable: 0 },
};

describe("the report", () => {
  it("shows the held-out scores with intervals, the cost in USD, the rationale chain, the diff and the examples that moved", () => {
    const markdown = renderReport({
      task: "qa",
      seedTemplate: seed.template,
      agreement: {
        summary: "The judge agrees with the logged scores: Spearman 0.82 on 40 outputs.",
      } as Agreement,
      search,
      gate,
      estimate,
      spent,
      calls: { made: 40, cached: 5 },
      durationSeconds: 12.34,
      test,
      sizes: { train: 20, val: 10, test: 3 },
      verdict: "A better prompt: +36.7 points on held-out data.",
    });
    expect(markdown).toMatchInlineSnapshot(`
      "## Kaizen: qa

      **A better prompt: +36.7 points on held-out data.**

      ### Held-out test set

      3 examples no candidate saw during the search, scored by the same evaluator. Intervals are 95% Wilson intervals for bounded scores; a candidate ships only when an exact sign test of its paired wins gives p < 0.05 on at least 20 examples.

      | prompt | score | gain over the active prompt |
      | --- | ---: | ---: |
      | active prompt | 53.3% [30.0%, 80.0%] | |
      | candidate #1 (shipped) | 90.0% [80.0%, 100.0%] | +36.7 pts [10.0, 60.0] |

      ### The evaluator

      The judge agrees with the logged scores: Spearman 0.82 on 40 outputs.

      ### Cost

      | | estimated | spent |
      | --- | ---: | ---: |
      | teacher \`gpt-4o\` | $0.0150 (3 calls) | $0.0101 (2 calls) |
      | judge \`gpt-4o-mini\` | $0.0400 (10 calls) | $0.0300 (8 calls) |
      | student \`gpt-4o-mini\` | $0.0030 (36 calls) | $0.0020 (30 calls) |
      | **total** | **$0.0580** | **$0.0421** |

      40 model calls made, 5 answered from the cache; 12.3 s; data: 20 train, 10 validation, 3 test examples.

      ### Search

      2 proposals: 1 validated, 0 stopped early on validation, 1 rejected (stopped: no new best for several iterations).

      Changes that led to the shipped prompt:

      - #1: answers lacked units

      ### The prompt's diff

      \`\`\`diff
      --- a/prompt
      +++ b/prompt
      @@ -1,2 +1,3 @@
       Answer {{question}}.
       Be brief.
      +Give the unit.
      \`\`\`

      ### Examples that moved most

      | inputs | change |
      | --- | ---: |
      | \`{"question":"speed of light?"}\` | +80 pts |
      | \`{"question":"boiling point \\| water?"}\` | +40 pts |
      | \`{"question":"mass of earth?"}\` | -10 pts |
      "
    `);
  });

  it("leaves out the diff and the examples when nothing ships", () => {
    const markdown = renderReport({
      task: "qa",
      seedTemplate: seed.template,
      agreement: { summary: "ok" } as Agreement,
      search,
      gate: { ...gate, winner: null },
      estimate,
      spent,
      calls: { made: 1, cached: 0 },
      durationSeconds: 1,
      test,
      sizes: { train: 20, val: 10, test: 3 },
      verdict: "no significant improvement",
    });
    expect(markdown).toContain("**no significant improvement**");
    expect(markdown).not.toContain("```diff");
    expect(markdown).not.toContain("Examples that moved most");
  });
});
