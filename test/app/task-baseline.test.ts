/**
 * The seeds' `create_task(name=..., description=..., feedback_threshold=100, teacher_model=...,
 * judge_model=...)` names no prompt. Such a task gets a baseline made from its description and
 * input names: version 1, active, committed to `prompts/<name>.md`, so `get_prompt` answers and
 * the first optimization has something to improve. Through a real `kaizen serve` over HTTP.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KaizenClient } from "../../src/sdk/client.js";
import { logUsableFeedback, startTestApi, type TestApi } from "./helpers/local-api.js";

const run = promisify(execFile);
const git = async (dir: string, ...args: string[]) => (await run("git", args, { cwd: dir })).stdout;

describe("a task created without a prompt", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => api.close());

  it("gets a baseline from its description, committed to prompts/<name>.md as active version 1", async () => {
    const commitsBefore = Number(await git(api.dir, "rev-list", "--count", "HEAD"));
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "route_ticket",
      description: "Routes customer support tickets to the right team.",
      feedback_threshold: 100,
      teacher_model: "gpt-4o",
      judge_model: "gpt-4o-mini",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      prompt_path: "prompts/route_ticket.md",
      threshold_progress: "0/100",
    });
    const baseline = "Routes customer support tickets to the right team.\n\ninput:\n{{input}}\n";
    expect(await readFile(path.join(api.dir, "prompts/route_ticket.md"), "utf8")).toBe(baseline);
    expect(await readFile(path.join(api.dir, ".kaizen/tasks/route_ticket.yml"), "utf8")).toContain(
      "prompt_path: prompts/route_ticket.md",
    );
    // One commit holds the task file and its prompt, and the work tree matches it.
    expect(Number(await git(api.dir, "rev-list", "--count", "HEAD"))).toBe(commitsBefore + 1);
    expect(
      (await git(api.dir, "show", "--name-only", "--format=", "HEAD")).trim().split("\n").sort(),
    ).toEqual([".kaizen/tasks/route_ticket.yml", "prompts/route_ticket.md"]);
    expect(await git(api.dir, "status", "--porcelain")).toBe("");
    expect(await api.call("GET", "/api/v1/tasks/route_ticket/prompt")).toMatchObject({
      status: 200,
      body: { version_number: 1, status: "active", prompt_text: baseline },
    });
    const versions = await api.call("GET", "/api/v1/tasks/route_ticket/prompts");
    expect(versions.body).toHaveLength(1);
  });

  it("names its inputs as placeholders, and the first optimization can start from it", async () => {
    const created = await api.call("POST", "/api/v1/tasks", {
      name: "reply",
      description: "Drafts a reply to a customer.",
      inputs: ["message", "customer_name"],
    });
    expect(created.status).toBe(201);
    const prompt = await api.call("GET", "/api/v1/tasks/reply/prompt");
    expect(prompt.body.prompt_text).toBe(
      "Drafts a reply to a customer.\n\nmessage:\n{{message}}\n\ncustomer_name:\n{{customer_name}}\n",
    );
    await logUsableFeedback(api, "reply", "message");
    const started = await api.call("POST", "/api/v1/tasks/reply/optimize");
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ status: "PENDING", triggered_by: "api_on_demand" });
  });

  it("keeps a prompt_path it is given: an existing file is the baseline, a missing one is made", async () => {
    const adopted = await api.call("POST", "/api/v1/tasks", {
      name: "classify_again",
      prompt_path: "prompts/classify.txt",
    });
    expect(adopted.status).toBe(201);
    expect((await api.call("GET", "/api/v1/tasks/classify_again/prompt")).body.prompt_text).toBe(
      "Classify: {{text}}\n",
    );
    const made = await api.call("POST", "/api/v1/tasks", {
      name: "tag",
      prompt_path: "prompts/tag.txt",
      inputs: ["text"],
    });
    expect(made.status).toBe(201);
    const text = 'Do the task "tag" for the input below.\n\ntext:\n{{text}}\n';
    expect(await readFile(path.join(api.dir, "prompts/tag.txt"), "utf8")).toBe(text);
    expect((await api.call("GET", "/api/v1/tasks/tag/prompt")).body.prompt_text).toBe(text);
  });

  it("answers 409 naming prompts/<name>.md when that file exists, and writes nothing", async () => {
    api = await restartWith(api, { "prompts/summarize.md": "A prompt someone else owns: {{x}}\n" });
    const head = await git(api.dir, "rev-parse", "HEAD");
    const refused = await api.call("POST", "/api/v1/tasks", {
      name: "summarize",
      description: "Summarizes.",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("prompts/summarize.md");
    expect(await git(api.dir, "rev-parse", "HEAD")).toBe(head);
    expect(await readFile(path.join(api.dir, "prompts/summarize.md"), "utf8")).toBe(
      "A prompt someone else owns: {{x}}\n",
    );
    expect((await api.call("GET", "/api/v1/tasks/summarize")).status).toBe(404);
  });

  it("refuses inputs beside a prompt, and input names no placeholder can fill", async () => {
    const both = await api.call("POST", "/api/v1/tasks", {
      name: "both",
      prompt: "Hi {{a}}\n",
      inputs: ["a"],
    });
    expect(both.status).toBe(422);
    expect(both.body.detail[0].loc).toEqual(["body", "inputs"]);
    const bad = await api.call("POST", "/api/v1/tasks", { name: "bad", inputs: ["ok", "not ok", "ok"] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ["body", "inputs", 1],
      ["body", "inputs"],
    ]);
  });

  it("serves the baseline to the TypeScript SDK's createTask then getPrompt", async () => {
    const client = new KaizenClient({ apiKey: api.server.apiKey, baseUrl: api.server.url });
    const task = await client.createTask({
      name: "summarize_email",
      description: "Summarizes an email in one sentence.",
      inputs: ["email"],
    });
    expect(task.prompt_path).toBe("prompts/summarize_email.md");
    const { prompt } = await client.getPrompt("summarize_email");
    expect(prompt).toMatchObject({ version_number: 1, status: "active" });
    expect(prompt.prompt_text).toContain("{{email}}");
    await client.close();
  });
});

async function restartWith(api: TestApi, files: Record<string, string>): Promise<TestApi> {
  await api.close();
  return startTestApi({}, files);
}
