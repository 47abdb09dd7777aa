import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { HttpError } from "../../src/app/api/http.js";
import { estimateTask } from "../../src/app/estimate.js";
import type { FeedbackResult } from "../../src/core/records.js";
import { TOKEN_SAMPLE } from "../../src/optimizer/estimate.js";
import type { Store } from "../../src/store/store.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function store() {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-estimate-"));
  dirs.push(dir);
  await initRepository(dir, { "prompts/p.md": "Label {{ticket}}.\n" });
  return LocalGitStore.open(dir);
}

describe("the API's optimize estimate", () => {
  it("answers 422 naming the task file's model_prices and the exact YAML when a remote model has no price", async () => {
    const config = loadTaskConfig(
      "name: classify\nprompt_path: prompts/p.md\nstudent_model: acme-large\n",
      ".kaizen/tasks/classify.yml",
    );
    const error = await estimateTask(
      await store(),
      config,
      "Label {{ticket}}.",
      "https://llm.acme.example/v1",
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(422);
    const [detail] = (error as HttpError).detail as { loc: string[]; msg: string; type: string }[];
    expect(detail!.loc).toEqual(["task_file", ".kaizen/tasks/classify.yml", "model_prices"]);
    expect(detail!.type).toBe("unknown_model_price");
    expect(detail!.msg).toContain(
      "model_prices:\n  acme-large: { input_per_mtok: 0.5, output_per_mtok: 1.5 }",
    );
  });

  it("plans no judge call for an exact-match task", async () => {
    const config = loadTaskConfig(
      "name: classify\nprompt_path: prompts/p.md\nevaluator_config: {type: exact_match}\n",
      ".kaizen/tasks/classify.yml",
    );
    const { estimate } = await estimateTask(await store(), config, "Label {{ticket}}.", undefined);
    expect(estimate.lines.map((l) => l.role)).toEqual(["teacher", "student"]);
  });

  it("reads a bounded sample of the newest entries, never all of a task's feedback", async () => {
    const local = await store();
    // 3,000 entries, one in four without a score (unusable), in three commits.
    for (let batch = 0; batch < 3; batch++)
      await local.appendFeedback(
        "classify",
        Array.from({ length: 1_000 }, (_, j) => {
          const i = batch * 1_000 + j;
          return {
            id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
            task_id: "00000000-0000-4000-8000-aaaaaaaaaaaa",
            inputs: { ticket: `ticket ${i}` },
            output: "BILLING",
            score: i % 4 === 0 ? null : 1,
            source: null,
            metadata: null,
            created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          } satisfies FeedbackResult;
        }),
        { retentionLimit: 10_000 },
      );
    // Counts every entry the estimate takes out of the store, and how it asked for them.
    let entriesRead = 0;
    const orders: boolean[] = [];
    const counting = new Proxy(local, {
      get(target, key) {
        if (key !== "readFeedback") {
          const value = Reflect.get(target, key, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
        return (task: string, options?: { newestFirst?: boolean }) => {
          orders.push(options?.newestFirst ?? false);
          const inner = target.readFeedback(task, options);
          return (async function* () {
            for await (const entry of inner) {
              entriesRead++;
              yield entry;
            }
          })();
        };
      },
    }) as Store;
    const config = loadTaskConfig(
      "name: classify\nprompt_path: prompts/p.md\n",
      ".kaizen/tasks/classify.yml",
    );
    const { usable, estimate } = await estimateTask(counting, config, "Label {{ticket}}.", undefined);
    expect(entriesRead).toBeLessThanOrEqual(TOKEN_SAMPLE);
    expect(orders).toEqual([true]);
    // The store's count of retained entries (3,000) times the usable share of the sample (3 in 4).
    expect(usable).toBe(2_250);
    expect(estimate.sizes).toEqual({ train: 2_110, val: 80, test: 60 });
  });
});
