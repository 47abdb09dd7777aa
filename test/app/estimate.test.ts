import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { HttpError } from "../../src/app/api/http.js";
import { estimateTask } from "../../src/app/estimate.js";
import type { FeedbackResult } from "../../src/core/records.js";
import { planRun } from "../../src/jobs/plan.js";
import { initRepository, LocalGitStore } from "../../src/store/local-git-store.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function store(taskYaml: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-estimate-"));
  dirs.push(dir);
  await initRepository(dir, {
    "prompts/p.md": "Label {{ticket}}.\n",
    ".kaizen/tasks/classify.yml": taskYaml,
  });
  return LocalGitStore.open(dir);
}

describe("the API's optimize estimate", () => {
  it("answers 422 naming the task file's model_prices and the exact YAML when a remote model has no price", async () => {
    const yaml = "name: classify\nprompt_path: prompts/p.md\nstudent_model: acme-large\n";
    const config = loadTaskConfig(yaml, ".kaizen/tasks/classify.yml");
    const error = await estimateTask(await store(yaml), config, "https://llm.acme.example/v1").catch(
      (e: unknown) => e,
    );
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
    const yaml = "name: classify\nprompt_path: prompts/p.md\nevaluator_config: {type: exact_match}\n";
    const config = loadTaskConfig(yaml, ".kaizen/tasks/classify.yml");
    const { planned } = await estimateTask(await store(yaml), config, undefined);
    expect(planned.plan.estimate.lines.map((l) => l.role)).toEqual(["teacher", "student"]);
  });

  it("is the plan the run makes: every usable entry, the run's split, its knobs and its cost", async () => {
    const yaml = "name: classify\nprompt_path: prompts/p.md\n";
    const local = await store(yaml);
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
    const config = loadTaskConfig(yaml, ".kaizen/tasks/classify.yml");
    const { planned, record } = await estimateTask(local, config, undefined);
    // 3,000 entries, 3 in 4 usable: the run's split of all 2,250, not a scaled sample.
    expect(planned.plan.sizes).toEqual({ train: 2_110, val: 80, test: 60 });
    const run = await planRun(local, "classify", { seed: "api-estimate" });
    expect(run.plan.estimate).toEqual(planned.plan.estimate);
    expect(record).toMatchObject({
      estimated_cost_usd: Number(run.plan.estimate.usd.toFixed(6)),
      estimated_llm_calls: run.plan.estimate.calls,
      train_size: 2_110,
      max_trials: run.plan.knobs.initialProposals + run.plan.knobs.iterations,
    });
  });
});
