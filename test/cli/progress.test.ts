import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/output.js";

function stream(columns?: number) {
  const out = Object.assign(new PassThrough(), columns ? { columns } : {});
  let text = "";
  out.on("data", (c: Buffer) => (text += c.toString()));
  return { out, text: () => text };
}

const STEPS = [
  "loading the task and its feedback",
  "the evaluator is calibrated",
  "proposal 1 of 3 from the logged failures",
  "proposal 2 of 3 from the logged failures",
  "iteration 1 of 12 (best validation mean 0.412)",
  "iteration 2 of 12 (best validation mean 0.956)",
  "testing the finalists on held-out data in a rather long step description that goes on",
];

function run(progress: Progress) {
  STEPS.forEach((step, i) => progress.update(i * 140, `$0.00${i}0 · ${step}`));
  progress.finish();
}

describe("the progress bar", () => {
  for (const columns of [80, 120])
    it(`on a ${columns}-column terminal, every redraw clears the line and fits in it, so nothing wraps or lingers`, () => {
      const { out, text } = stream(columns);
      run(new Progress(out, true, "optimize summarize_ticket", 1000));
      const frames = text().split("\r\u001b[2K").slice(1);
      expect(frames).toHaveLength(STEPS.length + 1);
      for (const frame of frames) expect(frame.replace(/\n$/, "").length).toBeLessThan(columns);
      expect(frames.at(-1)).toMatch(/\[#+\] 100% .*\n$/);
      expect(text().split("\n").filter(Boolean)).toHaveLength(1);
    });

  it("in a log prints one line per stage (numbers changing do not make a new stage) and the end", () => {
    const { out, text } = stream();
    run(new Progress(out, false, "optimize summarize_ticket", 1000));
    expect(text().trimEnd().split("\n")).toEqual([
      "optimize summarize_ticket: 0% (0/1000) $0.0000 · loading the task and its feedback",
      "optimize summarize_ticket: 14% (140/1000) $0.0010 · the evaluator is calibrated",
      "optimize summarize_ticket: 28% (280/1000) $0.0020 · proposal 1 of 3 from the logged failures",
      "optimize summarize_ticket: 56% (560/1000) $0.0040 · iteration 1 of 12 (best validation mean 0.412)",
      `optimize summarize_ticket: 84% (840/1000) $0.0060 · ${STEPS[6]}`,
      `optimize summarize_ticket: 100% (1000/1000) $0.0060 · ${STEPS[6]}`,
    ]);
  });

  it("in a log, a count without notes prints its start and its end only", () => {
    const { out, text } = stream();
    const progress = new Progress(out, false, "import", 100_000);
    for (let done = 0; done <= 100_000; done += 5_000) progress.update(done);
    progress.finish();
    expect(text()).toBe("import: 0% (0/100000)\nimport: 100% (100000/100000)\n");
  });
});
