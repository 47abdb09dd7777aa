import { describe, expect, it } from "vitest";
import { renderTerminal } from "../../src/report/terminal.js";
import { fewShotInput, noShipInput, notEnoughDataInput } from "./fixtures.js";

describe("the report as terminal text (kaizen optimize)", () => {
  it("gives the verdict, the figures it rests on and the lineage, as plain text", () => {
    expect(renderTerminal(fewShotInput())).toBe(
      [
        "✔ Better: the candidate scores 85.0% against 60.0% for the active prompt, +20.0 points (95% interval +7.5 to +32.5), on 40 held-out examples; found for $0.4213 of model calls (usage counted by Kaizen), and each production call reads 950 input tokens against 73 today. Merge to make it the active prompt.",
        "",
        "  held-out score  60.0% active → 85.0% candidate (+20.0 points, 40 examples)",
        "  examples        12 improved, 0 regressed, 28 unchanged",
        "  change          instruction rewritten, 16 examples quoted (0 before)",
        "  per call        73 → 950 input tokens, $0.0127 → $0.1443 per 1,000 calls (gpt-4o-mini)",
        "  run cost        $0.4213 of $0.4900 estimated (412 model calls, 40 cached, usage counted by Kaizen; 184 s)",
        "",
        "How the search got there:",
        "  1. rewrote the instruction: The judge's critiques say refunds were labelled technical when the customer mentioned an error; the rule for refunds and crashes is now explicit. [validation 61.3% → 80.0%]",
        "  2. examples: 0 → 16 quoted (16 in, 0 out) [validation 80.0% → 83.8%]",
      ].join("\n"),
    );
  });

  it("says why nothing ships, with the best candidate's figures and no lineage", () => {
    const text = renderTerminal(noShipInput());
    expect(text).toMatch(/^✘ Not significant: the best candidate scores 62\.5% /);
    expect(text).toContain("No pull request; the search cost $0.4213.");
    expect(text.split("\n")[1]).toBe(
      "At this rate of wins, losses and ties, about 27 held-out examples would decide (now 12): about 73 more scored feedback entries.",
    );
    expect(text).toContain(
      "  held-out score  50.0% active → 62.5% best candidate (+12.5 points, 12 examples)",
    );
    expect(text).not.toContain("How the search got there");
    expect(renderTerminal(notEnoughDataInput())).toBe(
      "✘ No search: 12 usable feedback entries (of 19 logged), and Kaizen's policy is to search from 30: 18 more would start it.",
    );
  });

  it("paints only through the painter it is given", () => {
    const painted = renderTerminal(fewShotInput(), (colour, text) => `<${colour}>${text}</${colour}>`);
    expect(painted).toMatch(/^<green>✔<\/green> <bold>Better: /);
    expect(painted).toContain("  <dim>held-out score</dim>  60.0% active");
  });
});
