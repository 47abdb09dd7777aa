import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { kaizenWorkflow } from "../../src/cli/workflow-template.js";
import { kaizen } from "./helpers/run-cli.js";

const SAMPLES: Record<string, { file: string; text: string }> = {
  text: { file: "prompts/summarize.txt", text: "Summarize {{ticket}} for {{team}}.\n" },
  markdown: { file: "prompts/summarize.md", text: "# Summarizer\n\nSummarize {{ticket}} for {{team}}.\n" },
  json: {
    file: "prompts/summarize.json",
    text: '{ "model": "gpt-4o-mini", "prompt": "Summarize {{ticket}} for {{team}}." }\n',
  },
  yaml: { file: "prompts/summarize.yaml", text: "prompt: Summarize {{ticket}} for {{team}}.\n" },
  python: { file: "app/prompts.py", text: 'PROMPT = """Summarize {{ticket}} for {{team}}."""\n' },
  typescript: {
    file: "src/prompts.ts",
    text: "export const PROMPT = `Summarize {{ticket}} for {{team}}.`;\n",
  },
};

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(path.join(tmpdir(), "kaizen-init-"));
});
afterEach(() => rm(repo, { recursive: true, force: true }));

async function sample(format: string) {
  const { file, text } = SAMPLES[format]!;
  await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
  await writeFile(path.join(repo, file), text);
  return file;
}

describe("kaizen init", () => {
  for (const format of Object.keys(SAMPLES)) {
    it(`sets up a task for a ${format} prompt, detecting its format and placeholders`, async () => {
      const file = await sample(format);
      const { code, out } = await kaizen(
        repo,
        {},
        "init",
        "--prompt",
        file,
        "--task",
        "summarize",
        "--threshold",
        "20",
        "--yes",
      );
      expect(code).toBe(0);
      expect(out).toContain(`Task summarize: ${file} (${format}), placeholders {{ticket}}, {{team}}.`);
      const config = loadTaskConfig(
        await readFile(path.join(repo, ".kaizen/tasks/summarize.yml"), "utf8"),
        ".kaizen/tasks/summarize.yml",
      );
      expect(config).toMatchObject({
        name: "summarize",
        prompt_path: file,
        prompt_format: format,
        feedback_threshold: 20,
        teacher_model: "gpt-4o",
        student_model: "gpt-4o-mini",
      });
      expect(await readFile(path.join(repo, ".github/workflows/kaizen.yml"), "utf8")).toContain(
        "uses: kaizen/optimize@v1",
      );
    });
  }

  it("writes README's workflow, with every task's prompt file in the evaluation's paths filter", async () => {
    const first = await sample("markdown");
    expect((await kaizen(repo, {}, "init", "--prompt", first, "--task", "summarize", "--yes")).code).toBe(0);
    const workflow = () => readFile(path.join(repo, ".github/workflows/kaizen.yml"), "utf8");
    expect(await workflow()).toBe(kaizenWorkflow([first]));
    const second = await sample("python");
    expect((await kaizen(repo, {}, "init", "--prompt", second, "--task", "draft", "--yes")).code).toBe(0);
    expect(await workflow()).toBe(kaizenWorkflow([first, second]));
    // A workflow the team kept is not rewritten; init says what its filter misses.
    await writeFile(path.join(repo, ".github/workflows/kaizen.yml"), "# mine\n");
    const third = await sample("text");
    const { out } = await kaizen(repo, {}, "init", "--prompt", third, "--task", "short");
    expect(out).toContain(`add "${third}" to on.pull_request.paths in .github/workflows/kaizen.yml`);
  });

  it("never overwrites an existing file without asking (outside a terminal it keeps it)", async () => {
    const file = await sample("text");
    await mkdir(path.join(repo, ".github/workflows"), { recursive: true });
    await writeFile(path.join(repo, ".github/workflows/kaizen.yml"), "# mine\n");
    const { out } = await kaizen(repo, {}, "init", "--prompt", file, "--task", "summarize");
    expect(out).toContain("kept .github/workflows/kaizen.yml (it exists; --yes overwrites)");
    expect(await readFile(path.join(repo, ".github/workflows/kaizen.yml"), "utf8")).toBe("# mine\n");
  });

  it("explains a missing prompt file and a bad task name", async () => {
    expect(await kaizen(repo, {}, "init", "--prompt", "nope.md", "--yes")).toMatchObject({
      code: 2,
      err: expect.stringContaining('--prompt "nope.md": there is no file nope.md'),
    });
    const file = await sample("text");
    expect(await kaizen(repo, {}, "init", "--prompt", file, "--task", "bad name", "--yes")).toMatchObject({
      code: 2,
      err: expect.stringContaining('--task "bad name": a task name starts with a letter or digit'),
    });
    expect(await kaizen(repo, {}, "init", "--prompt", "../x.md", "--yes")).toMatchObject({
      code: 2,
      err: expect.stringContaining(`--prompt "../x.md": the path must not contain '..'`),
    });
  });
});
