import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { HttpError } from "../../src/app/api/http.js";
import { estimateTask } from "../../src/app/estimate.js";
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
});
