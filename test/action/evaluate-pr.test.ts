import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EVALUATION_CHECK_NAME } from "../../src/action/evaluate-pr.js";
import { readInputs } from "../../src/action/inputs.js";
import { main } from "../../src/action/main.js";
import type { ActionRuntime } from "../../src/action/types.js";
import { KAIZEN_WORKFLOW } from "../../src/cli/workflow-template.js";
import { GitHubStore } from "../../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../fakes/github/index.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, loggedFeedback, RULES, SEED_PROMPT, TASK_YAML } from "../optimizer/helpers/world.js";
import { GITHUB_HTML_TAGS, htmlTags, nodes, parseGfm, tableRowWidths } from "../report/structure.js";

const FULL = "acme/support";
const repo = { owner: "acme", repo: "support" };
let github: FakeGitHub;
let fake: FakeOpenAI;
let cache: string;
let warnings: string[];

beforeEach(async () => {
  github = await FakeGitHub.start();
  fake = await FakeOpenAI.start();
  installBrains(fake);
  cache = await mkdtemp(path.join(tmpdir(), "kaizen-xdg-"));
  warnings = [];
  const { id } = github.createRepo(FULL, {
    files: { ".kaizen/tasks/classify.yml": TASK_YAML, "prompts/classify.md": SEED_PROMPT },
  });
  const store = new GitHubStore(testOctokit(github), repo);
  await store.appendFeedback("classify", loggedFeedback(120, String(id)), { retentionLimit: 1000 });
});
afterEach(async () => {
  github.assertClean();
  await github.close();
  await fake.close();
  await rm(cache, { recursive: true, force: true });
});

/** A person's branch `edit` that changes `files`, and its pull request. */
async function pullRequest(files: Record<string, string>) {
  const state = github.repo(FULL);
  state.refs.set("refs/heads/edit", state.refs.get("refs/heads/main")!);
  github.commitFiles(FULL, "edit", files, "my edit of the prompt");
  const { data } = await testOctokit(github).request("POST /repos/{owner}/{repo}/pulls", {
    ...repo,
    title: "Sharper prompt",
    head: "edit",
    base: "main",
  });
  return { number: data.number, head: { sha: github.repo(FULL).refs.get("refs/heads/edit")! } };
}

function runAction(pr: { number: number; head: { sha: string } }, key: string | null) {
  const env = {
    ...(key ? { "INPUT_OPENAI-API-KEY": key } : {}),
    "INPUT_OPENAI-BASE-URL": fake.baseURL,
    "INPUT_MAX-COST-USD": "0.50",
    "INPUT_GITHUB-TOKEN": "ghs_test_token",
    XDG_CACHE_HOME: cache,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: FULL,
    GITHUB_RUN_ID: "77",
  };
  const runtime: ActionRuntime = {
    info: () => {},
    warning: (m) => warnings.push(m),
    group: (_name, work) => work(),
    claimed: () => {},
    env,
  };
  return main(
    readInputs(env),
    { eventName: "pull_request", payload: { action: "synchronize", pull_request: pr }, repo },
    // As the Action's own client: it retries, and a kept-alive socket the server closed is retried.
    testOctokit(github, { retry: true }),
    runtime,
  );
}

describe("the check 'Kaizen: prompt evaluation' on a pull request", () => {
  it("reports a prompt edit against the active prompt, on its head commit, and never fails", async () => {
    const pr = await pullRequest({
      "prompts/classify.md": SEED_PROMPT.replace("Ticket:", `${RULES.refund}\n${RULES.crash}\nTicket:`),
    });
    const result = await runAction(pr, "sk-test");
    expect(result.failure).toBeNull();
    const [check] = github.repo(FULL).checkRuns;
    expect(check).toMatchObject({
      name: EVALUATION_CHECK_NAME,
      head_sha: pr.head.sha,
      conclusion: "success",
      output: { title: "Better than the active prompt" },
    });
    const summary = check!.output.summary!;
    expect(summary).toMatch(
      /^## Kaizen: your edit of classify\n\n✅ \*\*Your edit is better: 100\.0% against 0\.0%/,
    );
    expect(summary).toContain("[the workflow run](https://github.com/acme/support/actions/runs/77)");
    const root = parseGfm(summary);
    for (const table of nodes(root, "table")) expect(new Set(tableRowWidths(summary, table)).size).toBe(1);
    for (const tag of htmlTags(root)) expect(GITHUB_HTML_TAGS).toContain(tag);
    // The active prompt is untouched, and nothing was written to Kaizen's data.
    expect(github.readFile(FULL, "main", "prompts/classify.md")).toBe(SEED_PROMPT);
    expect(github.repo(FULL).pulls).toHaveLength(1);
  });

  it("a push of the same result changes nothing; an edit that is no better gets a neutral check", async () => {
    const pr = await pullRequest({ "prompts/classify.md": `${SEED_PROMPT}Answer politely.\n` });
    await runAction(pr, "sk-test");
    await runAction(pr, "sk-test");
    expect(github.repo(FULL).checkRuns).toHaveLength(1);
    expect(github.repo(FULL).checkRuns[0]).toMatchObject({
      conclusion: "neutral",
      output: { title: "Not measurably different from the active prompt" },
    });
  });

  it("says so in the check when there is no model key, instead of failing silently", async () => {
    const pr = await pullRequest({ "prompts/classify.md": `${SEED_PROMPT}Be brief.\n` });
    const result = await runAction(pr, null);
    expect(result.failure).toBeNull();
    expect(github.repo(FULL).checkRuns[0]).toMatchObject({
      name: EVALUATION_CHECK_NAME,
      conclusion: "neutral",
      output: { title: "Not evaluated: no model key" },
    });
    expect(github.repo(FULL).checkRuns[0]!.output.summary).toContain(
      "Add the secret `OPENAI_API_KEY` to the repository",
    );
    expect(fake.calls).toBe(0);
  });

  it("says why in the check when the evaluation would cost more than its cap", async () => {
    const pr = await pullRequest({ "prompts/classify.md": `${SEED_PROMPT}Be brief.\n` });
    const env = {
      "INPUT_OPENAI-API-KEY": "sk-test",
      "INPUT_MAX-COST-USD": "0.000001",
      "INPUT_GITHUB-TOKEN": "t",
    };
    await main(
      readInputs({ ...env, "INPUT_OPENAI-BASE-URL": fake.baseURL }),
      { eventName: "pull_request", payload: { pull_request: pr }, repo },
      testOctokit(github),
      { info: () => {}, warning: (m) => warnings.push(m), group: (_n, w) => w(), claimed: () => {}, env },
    );
    expect(github.repo(FULL).checkRuns[0]!.output.summary).toMatch(
      /Not evaluated: evaluating classify could cost up to \$/,
    );
    expect(warnings.join("\n")).toContain("the prompt evaluation did not run");
    expect(fake.calls).toBe(0);
  });

  it("finds the prompt file on the third page of a pull request's 250 changed files", async () => {
    const docs = Object.fromEntries(Array.from({ length: 249 }, (_, i) => [`docs/page-${i}.md`, `${i}\n`]));
    const pr = await pullRequest({ ...docs, "prompts/classify.md": `${SEED_PROMPT}Be brief.\n` });
    await runAction(pr, null);
    expect(github.repo(FULL).checkRuns[0]).toMatchObject({
      name: EVALUATION_CHECK_NAME,
      output: { title: "Not evaluated: no model key" },
    });
  });

  it("leaves a pull request that changes no prompt file without a check", async () => {
    const pr = await pullRequest({ "README.md": "hello\n" });
    await runAction(pr, "sk-test");
    expect(github.repo(FULL).checkRuns).toEqual([]);
  });

  it("is in the workflow kaizen init writes: on pull_request, with checks: write and a cost cap", () => {
    // The trigger may carry a comment after its key (what it is for).
    expect(KAIZEN_WORKFLOW).toMatch(
      /\n {2}pull_request:( #[^\n]*)?\n {4}types: \[opened, synchronize, reopened\]\n/,
    );
    expect(KAIZEN_WORKFLOW).toContain("    if: github.event_name != 'pull_request'");
    expect(KAIZEN_WORKFLOW).toMatch(
      / {2}evaluate:\n {4}if: github\.event_name == 'pull_request'\n[\s\S]*checks: write[\s\S]*max-cost-usd: "0\.50"/,
    );
  });
});
