/**
 * kaizen serve keeps the tokenizer's tables (~70 MB) out of its server: nothing it imports
 * builds them, and the cost estimate of its optimize answer is planned on a thread of its own
 * (src/app/estimate-thread.ts). A real process, watched by a module hook on its main thread.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("kaizen serve's main thread", () => {
  it("never loads the tokenizer, and still answers optimize with a cost estimate counted in tokens", async () => {
    const helper = path.join(import.meta.dirname, "helpers", "tokenizer-watch.ts");
    const { stdout } = await run(process.execPath, ["--import", "tsx", helper], {
      cwd: path.join(import.meta.dirname, "..", ".."),
      // OpenAI's own endpoint (never called): its models have catalogue prices, so the estimate's
      // dollars come from counted tokens.
      env: { ...process.env, OPENAI_BASE_URL: "" },
    });
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      status: number;
      estimate: { estimated_cost_usd: number; estimated_llm_calls: number } | null;
      tokenizerModules: string[];
    };
    expect(result.status).toBe(202);
    expect(result.estimate!.estimated_cost_usd).toBeGreaterThan(0);
    expect(result.tokenizerModules).toEqual([]);
  }, 120_000);
});
