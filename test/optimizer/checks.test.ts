import { describe, expect, it } from "vitest";
import { ProposalChecker } from "../../src/optimizer/checks.js";
import type { Example } from "../../src/optimizer/dataset.js";

const record: Example = {
  id: "r1",
  inputs: { ticket: "my card was charged twice for the same order last week" },
  output: "billing",
  score: 0,
  expected: null,
};
const seed = "Label the ticket {{ticket}} for {{team}}.";

describe("proposal checks, before a proposal costs anything", () => {
  it("refuses a proposal that drops a placeholder", () => {
    expect(new ProposalChecker(seed, [record]).problem("Label the ticket {{ticket}}.")).toBe(
      "drops placeholder(s) {{team}}",
    );
  });

  it("refuses a proposal that adds a placeholder the active prompt lacks (the app would send it literally)", () => {
    expect(new ProposalChecker(seed, [record]).problem(`${seed}\nPlaceholder: {{placeholder}}`)).toBe(
      "adds placeholder(s) {{placeholder}} the active prompt does not have: the app would send it literally",
    );
  });

  it("refuses one that copies eight words of a feedback record", () => {
    expect(
      new ProposalChecker(seed, [record]).problem(
        `${seed} Example: my card was charged twice for the same order.`,
      ),
    ).toMatch(/^copies text from a feedback record/);
  });

  it("refuses a duplicate and an overlong proposal, and accepts a real edit", () => {
    const checker = new ProposalChecker(seed, [record]);
    expect(checker.problem(`${seed}  `)).toBe("duplicates a prompt already tried");
    expect(checker.problem(`${seed} ${"x".repeat(2_200)}`)).toMatch(/^too long/);
    expect(checker.problem(`${seed} Refund requests are billing.`)).toBeNull();
    expect(checker.problem(`${seed} Refund requests are billing.`)).toBe("duplicates a prompt already tried");
  });
});
