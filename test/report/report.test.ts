import { describe, expect, it } from "vitest";
import {
  CHECK_RUN_TEXT_LIMIT,
  evaluatorName,
  ISSUE_BODY_LIMIT,
  renderReport,
  reportForGitHub,
} from "../../src/report/index.js";
import { renderedBodies } from "./bodies.js";
import { DEMOS, editInput, fewShotInput, noShipInput, notEnoughDataInput, shipInput } from "./fixtures.js";
import { GITHUB_HTML_TAGS, htmlTags, nodes, parseGfm, parseMermaid, tableRowWidths } from "./structure.js";

const firstParagraph = (markdown: string) => {
  const root = parseGfm(markdown);
  expect(root.children[0]).toMatchObject({ type: "heading", depth: 2 });
  return markdown.split("\n")[2]!;
};

describe("every body Kaizen writes, read as GitHub reads it", () => {
  for (const { name, markdown } of renderedBodies())
    it(`${name}: tables parse whole, HTML is what GitHub keeps, Mermaid parses, within the limit`, async () => {
      const root = parseGfm(markdown);
      for (const table of nodes(root, "table")) {
        const widths = tableRowWidths(markdown, table);
        expect(new Set(widths).size, `a row of a table in ${name} has a stray or missing pipe`).toBe(1);
        expect(table.children.every((row) => row.children.length === widths[0])).toBe(true);
      }
      for (const tag of htmlTags(root)) expect(GITHUB_HTML_TAGS, `<${tag}> in ${name}`).toContain(tag);
      for (const code of nodes(root, "code").filter((c) => c.lang === "mermaid")) {
        expect(code.value).toMatch(/^%%\{init: .*\}%%\nxychart-beta\n/);
        await parseMermaid(code);
      }
      expect(markdown.length).toBeLessThanOrEqual(Math.min(ISSUE_BODY_LIMIT, CHECK_RUN_TEXT_LIMIT));
    });
});

/** The headings and folded summaries of a body, in the order a reader meets them. */
const outline = (markdown: string) =>
  [...markdown.matchAll(/^(#{2,4} .*|<summary>.*<\/summary>)$/gm)].map((m) => m[1]!);

describe("the report's layout: decided first, the long texts last and folded", () => {
  it("puts the verdict, the scores and the examples before the change, and the prompt and the patch last, folded", () => {
    const order = outline(renderReport(shipInput()));
    expect(order).toEqual([
      "## Kaizen: triage",
      "### Held-out scores",
      "### Examples that moved",
      "#### Improved",
      "### The change",
      "### Cost per call in production",
      "### Score by version",
      "### The evaluator",
      "<summary>Cost $0.4213 of $0.4900 estimated; the search</summary>",
      "<summary>The new prompt in full (7 lines)</summary>",
      "<summary>The change as a unified diff (for <code>git apply</code>)</summary>",
    ]);
  });

  it("shows a few-shot winner's instruction word by word, its quoted examples as one folded list, and the prompt once", () => {
    const markdown = renderReport(fewShotInput());
    const root = parseGfm(markdown);
    const html = nodes(root, "html").map((n) => n.value);
    const wordDiff = html.find((h) => h.startsWith("<blockquote>"))!;
    // The instruction's one added rule, and none of the sixteen quoted tickets.
    expect(wordDiff).toContain("<ins><b>Tickets about refunds, double charges or invoices are billing.");
    expect(wordDiff).not.toContain("example");
    expect(wordDiff).not.toMatch(/<br>\n<br>\n<br>/);
    expect(wordDiff.split("\n").length).toBeLessThan(10);
    expect(markdown).toContain(
      "<summary>16 solved examples from feedback added: each one's input and the answer people scored well or gave</summary>",
    );
    expect(markdown).toContain(
      `1. ticket: I was charged twice for my March subscription and I would like the second payment refunded to the card ending in 4242 as soon as possible, thank you → **billing** <sub>(feedback entry \`${DEMOS[0]!.id}\`)</sub>`,
    );
    // The whole prompt appears once, inside its <details>, after everything a reviewer decides on.
    const template = fewShotInput().gate!.winner!.candidate.template;
    expect(nodes(root, "code").filter((c) => c.value === template)).toHaveLength(1);
    expect(markdown.indexOf("The new prompt in full")).toBeGreaterThan(markdown.indexOf("### The evaluator"));
    expect(markdown.indexOf("### Held-out scores")).toBeLessThan(markdown.indexOf("### The change"));
  });

  it("tells the lineage in words, with what each step did to the validation score, and no ids", () => {
    const markdown = renderReport(fewShotInput());
    const story = markdown.slice(
      markdown.indexOf("How the search got here"),
      markdown.indexOf("### Cost per call"),
    );
    expect(story).toBe(
      [
        "How the search got here, from the active prompt in 2 accepted steps (each kept only because it scored better than the step before it, beyond noise):",
        "",
        "1. Rewrote the instruction: The judge's critiques say refunds were labelled technical when the customer mentioned an error; the rule for refunds and crashes is now explicit. Validation score 61.3% → 80.0% on 80 examples.",
        "2. Quoted 16 solved examples from feedback. Validation score 80.0% → 83.8% on 80 examples.",
        "",
        "",
      ].join("\n"),
    );
    expect(markdown).not.toMatch(/#\d+:/);
    expect(markdown).not.toContain("candidate #");
  });

  it("says when the cost figures are Kaizen's own count because the server left out usage", () => {
    const counted = renderReport(fewShotInput());
    expect(firstParagraph(counted)).toContain("found for $0.4213 of model calls (usage counted by Kaizen)");
    expect(counted).toContain(
      "<summary>Cost $0.4213 (usage counted by Kaizen) of $0.4900 estimated; the search</summary>",
    );
    expect(counted).toContain(
      "Usage counted by Kaizen: 96 responses of the model server came without `usage`, so Kaizen counted their tokens itself",
    );
    const reported = renderReport(shipInput());
    expect(reported).not.toContain("usage counted by Kaizen");
    expect(reported).not.toContain("Usage counted by Kaizen");
  });
});

describe("the report", () => {
  it("decides in its first line: better, by how much, on how many held-out examples", () => {
    expect(firstParagraph(renderReport(shipInput()))).toBe(
      "✅ **Better: the candidate scores 85.0% against 60.0% for the active prompt, +20.0 points (95% interval +7.5 to +32.5), on 40 held-out examples; found for $0.4213 of model calls, and each production call reads 97 input tokens against 41 today.** Merge to make it the active prompt.",
    );
    expect(firstParagraph(renderReport(noShipInput()))).toMatch(
      /^❌ \*\*Not significant: .* on 12 held-out examples; it won 2 examples and lost 0 \(exact sign test p = 0\.25; a candidate ships below 0\.05\)\.\*\* No pull request; the search cost \$0\.4213\.$/,
    );
  });

  it("warns when the held-out sample is small, and says how many more examples would decide", () => {
    const markdown = renderReport(noShipInput());
    expect(markdown).toContain("> [!WARNING]\n> Only 12 held-out examples");
    // 2 wins, 0 losses, 10 ties of 12: at that rate 27 examples hold 5 wins, the fewest that pass p < 0.05.
    expect(markdown).toContain("about 27 held-out examples would decide (now 12)");
    expect(renderReport(shipInput())).not.toContain("[!WARNING]");
  });

  it("says 'not significant' only when the sign test did, and 'not better' when the candidate won no more than it lost", () => {
    // Wins large, losses small: the gain's interval excludes 0, yet 9 wins of 12 fail the sign test.
    const input = noShipInput();
    const result = input.gate!.results[0]!;
    result.sign = { wins: 9, losses: 3, p: 299 / 4096 };
    result.gain = { mean: 0.7475, low: 0.19, high: 0.95 };
    const markdown = renderReport(input);
    expect(firstParagraph(markdown)).toContain(
      "❌ **Not significant: the best candidate scores 62.5% against 50.0% for the active prompt, +74.8 points (95% interval +19.0 to +95.0), on 12 held-out examples; it won 9 examples and lost 3 (exact sign test p = 0.073; a candidate ships below 0.05).**",
    );
    expect(markdown).toContain(
      "The gain's interval excludes 0 because what it won, it won by more than what it lost; the ship decision counts the examples won and lost",
    );
    result.sign = { wins: 3, losses: 3, p: 0.66 };
    result.gain = { mean: 0, low: -0.3, high: 0.3 };
    const even = renderReport(input);
    expect(firstParagraph(even)).toMatch(/^❌ \*\*Not better: .* it won 3 examples and lost 3 /);
    expect(even).toContain(
      "did not win more examples than it lost, so more data would not turn this into a yes",
    );
  });

  it("calls the minimum of usable feedback a policy, and says how many more entries would start a search", () => {
    expect(firstParagraph(renderReport(notEnoughDataInput()))).toBe(
      "❌ **No search: 12 usable feedback entries (of 19 logged), and Kaizen's policy is to search from 30: 18 more would start it.**",
    );
  });

  it("shows the change word by word in wrapping HTML, the whole new prompt, and a diff git applies", () => {
    const root = parseGfm(renderReport(shipInput()));
    const html = nodes(root, "html").map((n) => n.value);
    expect(html.find((h) => h.startsWith("<blockquote>"))).toContain(
      "<ins><b>Tickets about refunds, double charges or invoices are billing.",
    );
    expect(html.some((h) => h.includes("<summary>The new prompt in full (7 lines)</summary>"))).toBe(true);
    const code = nodes(root, "code");
    expect(code.find((c) => c.lang === "text")?.value).toBe(shipInput().gate!.winner!.candidate.template);
    expect(code.find((c) => c.lang === "diff")?.value).toMatch(/^--- a\/prompt\n\+\+\+ b\/prompt\n@@ /);
  });

  it("shows text from logs as text: HTML escaped, pipes escaped, long text cut at a word", () => {
    const input = shipInput();
    const example = input.test.find(
      (e) => input.gate!.winner!.scores.get(e.id)!.score > input.gate!.seed.scores.get(e.id)!.score,
    )!;
    example.inputs = { ticket: `<script>alert(1)</script> a | b ${"word ".repeat(100)}` };
    const markdown = renderReport(input);
    expect(markdown).toContain("&lt;script&gt;alert(1)&lt;/script&gt; a \\| b word word");
    expect(markdown).not.toContain("<script>");
    expect(markdown).toMatch(/word word…/);
  });

  it("names the evaluator, and gives judge agreement and noise only when a judge scores", () => {
    expect(renderReport(shipInput())).toContain("Judged twice, the same output varies by σ = 0.031");
    const deterministic = { ...shipInput(), evaluator: { name: "exact match", usesJudge: false } };
    const markdown = renderReport(deterministic);
    expect(markdown).toContain("Scored by **exact match**.");
    expect(markdown).not.toContain("Spearman");
    expect(
      evaluatorName(
        {
          evaluator_config: {
            evaluators: [
              { type: "exact_match", weight: 7, field: null, case_sensitive: false } as never,
              { type: "llm_judge", weight: 3 },
            ],
          } as never,
        },
        "gpt-4o-mini",
      ),
    ).toBe("exact match 70% + LLM judge (gpt-4o-mini) 30%");
  });

  it("draws a chart only with two points or more, the active version's score included", () => {
    const first = { ...shipInput(), history: [] };
    expect(renderReport(first)).toContain('x-axis ["active", "candidate"]');
    const noData = { ...noShipInput(), gate: null, search: null };
    expect(renderReport(noData)).not.toContain("Score by version");
  });

  it("ends with what merging, closing and rolling back do, the job and the run", () => {
    const markdown = renderReport(shipInput());
    expect(markdown).toContain("- **Merge**: this prompt becomes the active version of `triage`");
    expect(markdown).toContain("`kaizen prompts rollback --task triage`");
    expect(markdown).toContain(
      "Kaizen job `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`, [the workflow run](https://github.com/acme/desk/actions/runs/42).",
    );
    expect(renderReport(editInput())).toContain("This check only informs: it never fails the pull request.");
  });

  it("fits a huge report into GitHub's limit with a pointer to the full one, fences closed", () => {
    const input = shipInput();
    input.gate!.winner!.candidate = { ...input.gate!.winner!.candidate, template: "A rule. ".repeat(9_000) };
    const full = renderReport(input);
    expect(full.length).toBeGreaterThan(ISSUE_BODY_LIMIT);
    const body = reportForGitHub(full, CHECK_RUN_TEXT_LIMIT, "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    expect(body.length).toBeLessThanOrEqual(CHECK_RUN_TEXT_LIMIT);
    const root = parseGfm(body);
    const last = root.children.at(-1)!;
    expect(last.type).toBe("paragraph");
    expect(body.slice(last.position!.start.offset)).toMatch(
      /^\*\*This text was shortened to fit GitHub's limit of 65,535 characters: [\d,]+ characters were left out\.\*\* The full report: the job record \(`kaizen jobs show 0193a1b2/,
    );
  });

  it("ship report", () => {
    expect(renderReport(shipInput())).toMatchInlineSnapshot(`
      "## Kaizen: triage

      ✅ **Better: the candidate scores 85.0% against 60.0% for the active prompt, +20.0 points (95% interval +7.5 to +32.5), on 40 held-out examples; found for $0.4213 of model calls, and each production call reads 97 input tokens against 41 today.** Merge to make it the active prompt.

      ### Held-out scores

      40 examples that no candidate saw during the search, scored by the same evaluator; 95% Wilson intervals, which stay honest on a few dozen examples. A candidate ships only when it wins significantly more examples than it loses (exact sign test, p < 0.05). The gain is the candidate minus the active prompt on the same examples.

      | prompt | score | 95% interval | gain | gain's 95% interval |
      | --- | ---: | ---: | ---: | ---: |
      | active prompt | 60.0% | 51.0% to 68.0% | | |
      | the candidate (this pull request) | 85.0% | 77.0% to 92.0% | +20.0 pts | +7.5 to +32.5 |

      ### Examples that moved

      12 improved, 0 regressed, 28 unchanged of 40.

      #### Improved

      **1.** +100.0 points

      | | text | score |
      | --- | --- | ---: |
      | **input** | ticket: Please close my account and delete my data | |
      | **active prompt** | other. The customer mentions an error, so I routed it there; tell me if another queue fits better. | 0.0% |
      | **candidate** | account | 100.0% |

      **2.** +100.0 points

      | | text | score |
      | --- | --- | ---: |
      | **input** | ticket: I was charged twice for my March subscription and I would like the second payment refunded to the card ending in 4242 as soon as possible, thank you | |
      | **active prompt** | technical. The customer mentions a payment, so I routed it there; tell me if another queue fits better. | 0.0% |
      | **candidate** | billing | 100.0% |
      | **expected** | billing | |

      **3.** +100.0 points

      | | text | score |
      | --- | --- | ---: |
      | **input** | ticket: Refund the duplicate invoice INV-2291, the app showed an error while I paid | |
      | **active prompt** | account. The customer mentions an error, so I routed it there; tell me if another queue fits better. | 0.0% |
      | **candidate** | billing | 100.0% |

      ### The change

      <blockquote>
      You are the triage assistant of Acme's support desk. Read the customer's ticket below and answer with exactly one label: billing, technical, account or other.<br>
      <br>
      <ins><b>Tickets about refunds, double charges or invoices are billing. Tickets about crashes, freezes or error codes are technical, even when the customer is angry about money.</b></ins><br>
      <br>
      Ticket: {{ticket}}<br>
      …<br>
      </blockquote>

      How the search got here, from the active prompt in 1 accepted step (each kept only because it scored better than the step before it, beyond noise):

      1. Rewrote the instruction: The judge's critiques say refunds were labelled technical when the customer mentioned an error; the rule for refunds and crashes is now explicit. Validation score 61.3% → 80.0% on 80 examples.

      ### Cost per call in production

      | per call | active prompt | this candidate |
      | --- | ---: | ---: |
      | input tokens | 41 | 97 |
      | output tokens | 3 | 3 |
      | USD per 1,000 calls (\`gpt-4o-mini\`) | $0.0080 | $0.0163 |

      Among candidates tied within noise on held-out scores, the shortest ships: production pays for every token of the prompt on every call.

      ### Score by version

      \`\`\`mermaid
      %%{init: {"xyChart":{"height":280,"width":640},"themeVariables":{"xyChart":{"plotColorPalette":"#4493f8","backgroundColor":"transparent"}}}}%%
      xychart-beta
        title "triage: held-out score by version"
        x-axis ["v2 (active)", "candidate"]
        y-axis "score (%)" 0 --> 100
        bar [62.0, 85.0]
      \`\`\`

      ### The evaluator

      Scored by **LLM judge (gpt-4o-mini)**.

      It agrees with people's scores at Spearman ρ = 0.71 (1 is perfect, 0 is none) with a mean absolute error of 0.142 on 120 logged outputs. Judged twice, the same output varies by σ = 0.031 (the judge's noise).

      <details>
      <summary>Cost $0.4213 of $0.4900 estimated; the search</summary>

      | | estimated | spent |
      | --- | ---: | ---: |
      | teacher \`gpt-4o\` | $0.0600 (12 calls) | $0.0500 (12 calls) |
      | judge \`gpt-4o-mini\` | $0.3600 (120 calls) | $0.3101 (100 calls) |
      | student \`gpt-4o-mini\` | $0.0700 (320 calls) | $0.0612 (300 calls) |
      | **total** | **$0.4900** | **$0.4213** |

      412 model calls, 40 answered from the cache; 184.2 s; data: 80 train, 80 validation, 40 held-out examples.

      Search: 1 proposal, 1 validated, 0 stopped early, 0 rejected (all planned iterations ran).

      </details>

      <details>
      <summary>The new prompt in full (7 lines)</summary>

      \`\`\`text
      You are the triage assistant of Acme's support desk. Read the customer's ticket below and answer with exactly one label: billing, technical, account or other.

      Tickets about refunds, double charges or invoices are billing. Tickets about crashes, freezes or error codes are technical, even when the customer is angry about money.

      Ticket: {{ticket}}

      Answer with the label only, in lower case, with no punctuation and no explanation, because the answer is read by a program that routes the ticket to the right queue.
      \`\`\`

      </details>

      <details>
      <summary>The change as a unified diff (for <code>git apply</code>)</summary>

      \`\`\`diff
      --- a/prompt
      +++ b/prompt
      @@ -1,5 +1,7 @@
       You are the triage assistant of Acme's support desk. Read the customer's ticket below and answer with exactly one label: billing, technical, account or other.
       
      +Tickets about refunds, double charges or invoices are billing. Tickets about crashes, freezes or error codes are technical, even when the customer is angry about money.
      +
       Ticket: {{ticket}}
       
       Answer with the label only, in lower case, with no punctuation and no explanation, because the answer is read by a program that routes the ticket to the right queue.
      \\ No newline at end of file
      \`\`\`

      </details>

      ---

      - **Merge**: this prompt becomes the active version of \`triage\` (the file on the default branch, and the version \`getPrompt\` serves).
      - **Close**: the active prompt stays as it is and this candidate is archived; a later job may propose another.
      - **Roll back** after a merge: \`kaizen prompts rollback --task triage\`, or \`POST /api/v1/tasks/triage/prompts/{version_id}/activate\` with the version to restore.
      - Kaizen job \`0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\`, [the workflow run](https://github.com/acme/desk/actions/runs/42)."
    `);
  });

  it("no-ship report", () => {
    expect(renderReport(noShipInput())).toMatchInlineSnapshot(`
      "## Kaizen: triage

      ❌ **Not significant: the best candidate scores 62.5% against 50.0% for the active prompt, +12.5 points (95% interval −4.2 to +29.2), on 12 held-out examples; it won 2 examples and lost 0 (exact sign test p = 0.25; a candidate ships below 0.05).** No pull request; the search cost $0.4213.

      > [!WARNING]
      > Only 12 held-out examples: one example moves the score by 8.3 points, so read the interval, not the mean. 30 or more make the result firm; more scored feedback grows the held-out set.

      ### Why not, and what next

      No candidate won significantly more held-out examples than it lost (exact sign test at p < 0.05 for each of 1 finalist).

      At this rate of wins, losses and ties, about 27 held-out examples would decide (now 12): about 73 more scored feedback entries.

      Next: nothing to do. Kaizen runs again when new feedback reaches the task's \`feedback_threshold\`; a sharper rubric in \`.kaizen/tasks/triage.yml\` separates good answers from bad ones better.

      ### Held-out scores

      12 examples that no candidate saw during the search, scored by the same evaluator; 95% Wilson intervals, which stay honest on a few dozen examples. A candidate ships only when it wins significantly more examples than it loses (exact sign test, p < 0.05). The gain is the candidate minus the active prompt on the same examples.

      | prompt | score | 95% interval | gain | gain's 95% interval |
      | --- | ---: | ---: | ---: | ---: |
      | active prompt | 50.0% | 41.0% to 58.0% | | |
      | finalist 1 | 62.5% | 54.5% to 69.5% | +12.5 pts | −4.2 to +29.2 |

      ### Examples that moved

      2 improved, 0 regressed, 10 unchanged of 12.

      #### Improved

      **1.** +100.0 points

      | | text | score |
      | --- | --- | ---: |
      | **input** | ticket: Please close my account and delete my data | |
      | **active prompt** | other. The customer mentions an error, so I routed it there; tell me if another queue fits better. | 0.0% |
      | **candidate** | account | 100.0% |

      **2.** +50.0 points

      | | text | score |
      | --- | --- | ---: |
      | **input** | ticket: Error 500 when saving a draft | |
      | **active prompt** | account. The customer mentions a payment, so I routed it there; tell me if another queue fits better. | 0.0% |
      | **candidate** | technical | 50.0% |
      | **expected** | technical | |

      ### Score by version

      \`\`\`mermaid
      %%{init: {"xyChart":{"height":280,"width":640},"themeVariables":{"xyChart":{"plotColorPalette":"#4493f8","backgroundColor":"transparent"}}}}%%
      xychart-beta
        title "triage: held-out score by version"
        x-axis ["v1 (active)", "best candidate"]
        y-axis "score (%)" 0 --> 100
        bar [50.0, 62.5]
      \`\`\`

      ### The evaluator

      Scored by **LLM judge (gpt-4o-mini)**.

      It agrees with people's scores at Spearman ρ = 0.71 (1 is perfect, 0 is none) with a mean absolute error of 0.142 on 36 logged outputs. Judged twice, the same output varies by σ = 0.031 (the judge's noise).

      <details>
      <summary>Cost $0.4213 of $0.4900 estimated; the search</summary>

      | | estimated | spent |
      | --- | ---: | ---: |
      | teacher \`gpt-4o\` | $0.0600 (12 calls) | $0.0500 (12 calls) |
      | judge \`gpt-4o-mini\` | $0.3600 (120 calls) | $0.3101 (100 calls) |
      | student \`gpt-4o-mini\` | $0.0700 (320 calls) | $0.0612 (300 calls) |
      | **total** | **$0.4900** | **$0.4213** |

      412 model calls, 40 answered from the cache; 184.2 s; data: 24 train, 24 validation, 12 held-out examples.

      Search: 1 proposal, 1 validated, 0 stopped early, 0 rejected (all planned iterations ran).

      </details>

      ---

      - Kaizen job \`0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\`, [the workflow run](https://github.com/acme/desk/actions/runs/42)."
    `);
  });
});
