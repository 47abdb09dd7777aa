import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kaizenWebhooks } from "../../../src/app/webhooks/index.js";
import { refreshDashboard } from "../../../src/app/dashboard.js";
import { newId, taskId } from "../../../src/core/ids.js";
import type { PromptVersion } from "../../../src/core/records.js";
import { DASHBOARD_TITLE, renderDashboard, tickedActions } from "../../../src/github/dashboard.js";
import { GitHubStore } from "../../../src/store/github-store.js";
import { createJob } from "../../../src/jobs/index.js";
import { FakeGitHub, testOctokit } from "../../fakes/github/index.js";
import { pendingJob } from "../../helpers/records.js";

type Example = { name: string; examples: Record<string, unknown>[] };
const examples = createRequire(import.meta.url)(
  "@octokit/webhooks-examples/api.github.com/index.json",
) as Example[];
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const FULL = "acme/support";

const version = (n: number, score: number | null, status: PromptVersion["status"]): PromptVersion => ({
  id: newId(),
  task_id: taskId(1, "summarize"),
  version_number: n,
  prompt_text: `v${n}`,
  eval_score: score,
  status,
  optimizer: null,
  dspy_version: null,
  created_at: "2026-11-20T00:00:00.000Z",
  job_id: null,
});

describe("the dashboard issue", () => {
  it("renders each task's progress, its score chart, its last jobs and the check boxes", () => {
    const failed = pendingJob("summarize", {
      status: "PR_FAILED",
      error_message: "GitHub was down",
      created_at: "2026-11-22T10:00:00.000Z",
    });
    const body = renderDashboard([
      {
        name: "summarize",
        feedbackSinceOptimization: 61,
        threshold: 50,
        versions: [version(1, 0.62, "archived"), version(2, 0.74, "active"), version(3, null, "candidate")],
        jobs: [failed],
      },
    ]);
    expect(body).toContain(
      "Feedback since the last optimization: **61 / 50** (due) · active prompt: v2 (74.0%)",
    );
    expect(body).toContain(
      [
        "```mermaid",
        '%%{init: {"xyChart":{"height":280,"width":640},"themeVariables":{"xyChart":{"plotColorPalette":"#4493f8","backgroundColor":"transparent"}}}}%%',
        "xychart-beta",
        '  title "summarize: score by version"',
        '  x-axis ["v1", "v2 (active)"]',
        '  y-axis "score (%)" 0 --> 100',
        "  bar [62.0, 74.0]",
        "```",
      ].join("\n"),
    );
    expect(body).toContain(`| \`${failed.id}\` | 2026-11-22 10:00 UTC | PR_FAILED | GitHub was down |`);
    expect(body).toContain("- [ ] <!-- kaizen:optimize:summarize --> Optimize **summarize** now");
    expect(body).toContain(`- [ ] <!-- kaizen:retry-pr:${failed.id} --> Retry the pull request`);
    const ticked = body.replace(
      "- [ ] <!-- kaizen:optimize:summarize -->",
      "- [x] <!-- kaizen:optimize:summarize -->",
    );
    expect(tickedActions(body, ticked)).toEqual([{ kind: "optimize", task: "summarize" }]);
    expect(tickedActions(ticked, ticked)).toEqual([]);
  });

  it("tells jobs of one day apart by their whole id, and a single score as a table, not a chart", () => {
    // UUIDv7s made in the same millisecond share their first 12 characters: only the tail differs.
    const jobs = [0, 1].map(() => pendingJob("summarize", { created_at: "2026-11-22T23:30:00.000+01:00" }));
    const body = renderDashboard([
      {
        name: "summarize",
        feedbackSinceOptimization: 3,
        threshold: 50,
        versions: [version(1, 0.5, "active")],
        jobs,
      },
    ]);
    for (const job of jobs) expect(body).toContain(`| \`${job.id}\` | 2026-11-22 22:30 UTC | PENDING |`);
    expect(body).not.toContain("```mermaid");
    expect(body).toContain("| version | score |\n| --- | ---: |\n| v1 (active) | 50.0% |");
  });
});

describe("the dashboard on GitHub", () => {
  let github: FakeGitHub;
  let store: GitHubStore;
  beforeEach(async () => {
    github = await FakeGitHub.start();
    github.createRepo(FULL, {
      files: {
        ".kaizen/tasks/summarize.yml":
          "name: summarize\nfeedback_threshold: 50\nprompt_path: prompts/summarize.md\n",
        "prompts/summarize.md": "Summarize {{ticket}}\n",
      },
    });
    store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
  });
  afterEach(async () => {
    github.assertClean();
    await github.close();
  });

  it("is updated in place, never duplicated, and untouched when nothing changed", async () => {
    const octokit = testOctokit(github);
    expect((await refreshDashboard(store, octokit, { owner: "acme", repo: "support" })).action).toBe(
      "created",
    );
    await store.putJob(
      "summarize",
      pendingJob("summarize", { task_id: taskId(github.repo(FULL).id, "summarize") }),
    );
    expect((await refreshDashboard(store, octokit, { owner: "acme", repo: "support" })).action).toBe(
      "updated",
    );
    expect((await refreshDashboard(store, octokit, { owner: "acme", repo: "support" })).action).toBe(
      "unchanged",
    );
    expect(github.repo(FULL).issues.filter((i) => i.title === DASHBOARD_TITLE)).toHaveLength(1);
  });

  it("starts an optimization when a person ticks its box", async () => {
    const octokit = testOctokit(github);
    await refreshDashboard(store, octokit, { owner: "acme", repo: "support" });
    const issue = github.repo(FULL).issues[0]!;
    const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      baseUrl: github.baseUrl,
      retry: { enabled: false },
      throttle: { enabled: false },
    }));
    const probot = new Probot({ appId: 1, privateKey, secret: "s", logLevel: "fatal", Octokit });
    await probot.load(
      kaizenWebhooks({
        storeFor: (o, repo) => new GitHubStore(o as never, repo),
        invalidate: () => {},
        dashboardAction: async (repo, action) => {
          if (action.kind === "optimize")
            await createJob(new GitHubStore(testOctokit(github), repo), {
              repoKey: repo.id,
              task: action.task,
              triggeredBy: "manual",
            });
        },
      }),
    );
    const payload = structuredClone(
      examples.find((e) => e.name === "issues")!.examples.find((e) => e.action === "edited")!,
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const repo = github.repo(FULL);
    payload.repository = {
      ...payload.repository,
      id: repo.id,
      name: "support",
      full_name: FULL,
      owner: { ...payload.repository.owner, login: "acme" },
    };
    payload.installation = { id: repo.installationId, node_id: "x" };
    payload.issue = {
      ...payload.issue,
      number: issue.number,
      title: DASHBOARD_TITLE,
      body: issue.body!.replace(
        "- [ ] <!-- kaizen:optimize:summarize -->",
        "- [x] <!-- kaizen:optimize:summarize -->",
      ),
    };
    payload.changes = { body: { from: issue.body } };
    await probot.receive({ id: "tick-1", name: "issues", payload: payload as never });
    const [job] = await store.listJobs("summarize");
    expect(job).toMatchObject({ status: "PENDING", triggered_by: "manual" });
    expect(github.repo(FULL).issues[0]!.body).toContain("- [ ] <!-- kaizen:optimize:summarize -->");
    expect(github.repo(FULL).issues[0]!.body).toContain("| PENDING |");
  });
});
