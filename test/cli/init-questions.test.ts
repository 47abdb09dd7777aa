import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTaskConfig } from "../../src/core/task-config.js";
import { kaizen, kaizenWith } from "./helpers/run-cli.js";

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(path.join(tmpdir(), "kaizen-init-q-"));
});
afterEach(() => rm(repo, { recursive: true, force: true }));

async function files(entries: Record<string, string>) {
  for (const [file, text] of Object.entries(entries)) {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), text);
  }
}

/** `kaizen init` in a terminal: the answers are typed one line at a time; `end` is Ctrl-D after them. */
async function initInTerminal(answers: string[], { end = false } = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const done = kaizenWith({ cwd: repo, env: {}, stdin, isTTY: true }, "init");
  for (const answer of answers) stdin.write(`${answer}\n`);
  if (end) stdin.end();
  const { code, out, err } = await done;
  // eslint-disable-next-line no-control-regex
  return { code, out: out.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ""), err };
}

const task = async (name: string) =>
  loadTaskConfig(
    await readFile(path.join(repo, `.kaizen/tasks/${name}.yml`), "utf8"),
    `.kaizen/tasks/${name}.yml`,
  );

describe("kaizen init in a terminal", () => {
  it("lists the prompt files it finds, asks again after each bad answer, and never shows flags or usage", async () => {
    await files({
      "prompts/summarize.md": "Summarize {{ticket}}.\n",
      "prompts/classify.txt": "Classify {{text}}.\n",
      "src/reply.ts": "export const REPLY = `Answer {{question}}`;\n",
      "README.md": "# My app\n",
    });
    const { code, out, err } = await initInTerminal([
      "9", // not in the list
      "2",
      "", // the detected format
      "bad name",
      "classify",
      "Sorts incoming messages into queues.",
      "a judge", // not a way to score
      "", // llm_judge
      "many",
      "0",
      "20",
      "free",
      "1.5",
      "",
      "",
      "",
    ]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("1. prompts/classify.txt\n  2. prompts/summarize.md\n  3. src/reply.ts\n");
    expect(out).not.toContain("README.md");
    expect(out).toContain("there is no number 9 in the list. Try again");
    expect(out).toContain("a task name starts with a letter or digit");
    expect(out).toContain("the way to score is one of llm_judge, exact_match, json_schema");
    expect(out.match(/the number of feedback entries is a whole number, 1 or more/g)).toHaveLength(2);
    expect(out).toContain("the budget is an amount of US dollars above 0");
    expect(out.slice(0, out.indexOf("wrote "))).not.toMatch(/--[a-z]|Usage:/);
    expect(await task("classify")).toMatchObject({
      prompt_path: "prompts/summarize.md",
      description: "Sorts incoming messages into queues.",
      feedback_threshold: 20,
      cost_budget: 1.5,
      evaluator_config: { evaluators: [{ type: "llm_judge" }] },
    });
  });

  it("stops at once, writing nothing, when input ends (Ctrl-D) in the middle of the questions", async () => {
    await files({ "prompts/summarize.md": "Summarize {{ticket}}.\n" });
    const { code, err } = await initInTerminal(["", ""], { end: true });
    expect(code).toBe(1);
    expect(err).toContain('stopped: no answer to "Task name"; nothing was written');
    await expect(readFile(path.join(repo, ".kaizen/tasks/summarize.yml"))).rejects.toThrow();
  });

  it("notices Python-style {name} placeholders and, when asked to, rewrites them as {{name}}", async () => {
    await files({ "prompts/reply.txt": 'Answer {question} for {customer}, using {"json": true} braces.\n' });
    const { code, out } = await initInTerminal(["", "", "y", "", "", "", "", "", "", "", ""]);
    expect(code).toBe(0);
    expect(out).toContain("Python-style placeholders ({question}, {customer})");
    expect(await readFile(path.join(repo, "prompts/reply.txt"), "utf8")).toBe(
      'Answer {{question}} for {{customer}}, using {"json": true} braces.\n',
    );
  });
});

describe("kaizen init in a script", () => {
  it("takes the defaults for description, evaluator and budget with --yes, and the only prompt file it finds", async () => {
    await files({ "prompts/summarize.md": "Summarize {{ticket}}.\n" });
    const { code } = await kaizen(repo, {}, "init", "--yes");
    expect(code).toBe(0);
    expect(await task("summarize")).toMatchObject({
      prompt_path: "prompts/summarize.md",
      description: null,
      cost_budget: 2,
      feedback_threshold: 50,
      evaluator_config: { evaluators: [{ type: "llm_judge" }] },
    });
  });

  it("names the prompt files it found when there are several and no --prompt", async () => {
    await files({ "prompts/a.md": "A {{x}}\n", "prompts/b.md": "B {{y}}\n" });
    const { code, err } = await kaizen(repo, {}, "init", "--yes");
    expect(code).toBe(2);
    expect(err).toContain("which prompt? Found 2: prompts/a.md, prompts/b.md; pass one with --prompt");
  });

  it("keeps Python-style placeholders unless --convert-placeholders, and says what that means", async () => {
    await files({ "prompts/reply.txt": "Answer {question}.\n" });
    const kept = await kaizen(repo, {}, "init", "--yes");
    expect(kept.out).toContain("the optimizer would run the prompt without your inputs");
    expect(await readFile(path.join(repo, "prompts/reply.txt"), "utf8")).toBe("Answer {question}.\n");
    await kaizen(repo, {}, "init", "--yes", "--convert-placeholders");
    expect(await readFile(path.join(repo, "prompts/reply.txt"), "utf8")).toBe("Answer {{question}}.\n");
  });

  it("names every model that has no price, at once", async () => {
    await files({ "prompts/summarize.md": "Summarize {{ticket}}.\n" });
    const { out } = await kaizen(
      repo,
      {},
      "init",
      "--yes",
      "--teacher-model",
      "llama-3-70b",
      "--student-model",
      "mistral-small",
    );
    expect(out).toContain('no price known for "llama-3-70b", "mistral-small"');
  });
});
