import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kaizenWebhooks } from "../../../src/app/webhooks/index.js";
import { refreshDashboard } from "../../../src/app/dashboard.js";
import { taskId } from "../../../src/core/ids.js";
import type { PromptVersion } from "../../../src/core/records.js";
import { DASHBOARD_TITLE } from "../../../src/github/dashboard.js";
import { renderDashboard, tickedActions } from "../../../src/report/dashboard.js";
import { GitHubStore } from "../../../src/store/github-store.js";
import { createJob } from "../../../src/jobs/index.js";
import { transition } from "../../../src/core/job-state.js";
import { FakeGitHub, testOctokit } from "../../fakes/github/index.js";
import { MIN_USABLE } from "../../../src/optimizer/dataset.js";
import { feedbackBatch, pendingJob, promptVersion, stoppedCanary } from "../../helpers/records.js";

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
/** When the ticks of these tests were made: a moment ago, as GitHub delivers them. */
const EDITED_AT = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

const version = (n: number, score: number | null, status: PromptVersion["status"]) =>
  promptVersion(n, score, status, { task_id: taskId(1, "summarize") });

describe("the dashboard issue", () => {
  it("renders each task's progress, its score chart, its last jobs and the check boxes", () => {
    const failed = pendingJob("summarize", {
      status: "PR_FAILED",
      error_message: "GitHub was down",
      created_at: "2026-11-22T10:00:00.000Z",
    });
    const candidate = version(3, null, "candidate");
    const body = renderDashboard([
      {
        name: "summarize",
        feedbackSinceOptimization: 61,
        threshold: 50,
        versions: [version(1, 0.62, "archived"), version(2, 0.74, "active"), candidate],
        jobs: [failed],
        canary: stoppedCanary(candidate.id),
      },
    ]);
    expect(body).toContain(
      "Production canary of v3: **stopped**: the candidate is worse by more than max_loss 0.05; every unit gets the active version (candidate −13.0 points, 95% interval −21.0 to −6.0, 420 scored entries).",
    );
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
        canary: null,
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
    // A job is created only for a task with the usable minimum of feedback.
    await store.appendFeedback("summarize", feedbackBatch("summarize", 0, MIN_USABLE), {
      retentionLimit: 1000,
    });
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

  /** A Probot running Kaizen's webhooks against the fake; ticks create PENDING jobs. */
  async function newApp(options: { failTicks?: number } = {}) {
    let failures = options.failTicks ?? 0;
    const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      baseUrl: github.baseUrl,
      retry: { enabled: false },
      throttle: { enabled: false },
    }));
    const probot = new Probot({ appId: 1, privateKey, secret: "s", logLevel: "fatal", Octokit });
    await probot.load(
      kaizenWebhooks({
        storeFor: (o, repo) => new GitHubStore(o, repo),
        invalidate: () => {},
        dashboardAction: async (repo, action) => {
          if (failures > 0) {
            failures--;
            throw new Error("GitHub was down");
          }
          if (action.kind === "optimize")
            await createJob(new GitHubStore(testOctokit(github), repo), {
              repoKey: repo.id,
              task: action.task,
              triggeredBy: "manual",
            });
        },
      }),
    );
    return probot;
  }

  /** GitHub's `issues.edited` payload: `sender` ticked the optimize box of `issueNumber`. */
  function tick(
    issueNumber: number,
    sender = "acme",
    author = { login: "kaizen[bot]", type: "Bot" },
    editedAt = EDITED_AT,
  ) {
    const issue = github.repo(FULL).issues.find((i) => i.number === issueNumber)!;
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
    payload.sender = { ...payload.sender, login: sender, type: "User" };
    payload.issue = {
      ...payload.issue,
      number: issue.number,
      title: DASHBOARD_TITLE,
      updated_at: editedAt,
      user: { ...payload.issue.user, ...author },
      body: issue.body!.replace(
        "- [ ] <!-- kaizen:optimize:summarize -->",
        "- [x] <!-- kaizen:optimize:summarize -->",
      ),
    };
    payload.changes = { body: { from: issue.body } };
    return payload as never;
  }

  it("starts an optimization when a person with write permission ticks its box", async () => {
    await refreshDashboard(store, testOctokit(github), { owner: "acme", repo: "support" });
    const issue = github.repo(FULL).issues[0]!;
    const probot = await newApp();
    await probot.receive({ id: "tick-1", name: "issues", payload: tick(issue.number) });
    const [job] = await store.listJobs("summarize");
    expect(job).toMatchObject({ status: "PENDING", triggered_by: "manual" });
    expect(github.repo(FULL).issues[0]!.body).toContain("- [ ] <!-- kaizen:optimize:summarize -->");
    expect(github.repo(FULL).issues[0]!.body).toContain("| PENDING |");
  });

  it("ignores a tick by someone without write permission, or on a look-alike issue a person opened", async () => {
    await refreshDashboard(store, testOctokit(github), { owner: "acme", repo: "support" });
    const real = github.repo(FULL).issues[0]!;
    github.repo(FULL).permissions.set("reader", "read");
    const fake = { ...real, number: github.repo(FULL).nextNumber++, user: "mallory" };
    github.repo(FULL).issues.push(fake);
    const probot = await newApp();
    await probot.receive({ id: "tick-reader", name: "issues", payload: tick(real.number, "reader") });
    await probot.receive({ id: "tick-stranger", name: "issues", payload: tick(real.number, "stranger") });
    await probot.receive({
      id: "tick-lookalike",
      name: "issues",
      payload: tick(fake.number, "mallory", { login: "mallory", type: "User" }),
    });
    // Even a look-alike opened by some other bot is not the issue Kaizen recorded.
    await probot.receive({
      id: "tick-other-bot",
      name: "issues",
      payload: tick(fake.number, "acme", { login: "other[bot]", type: "Bot" }),
    });
    expect(await store.listJobs("summarize")).toEqual([]);
  });

  it("acts on GitHub's redelivery of a failed delivery, and once only across two app instances", async () => {
    await refreshDashboard(store, testOctokit(github), { owner: "acme", repo: "support" });
    const issue = github.repo(FULL).issues[0]!;
    const first = await newApp({ failTicks: 1 });
    const payload = tick(issue.number);
    await first.receive({ id: "tick-retry", name: "issues", payload }).catch(() => {});
    // The tick's action failed (logged); the dashboard was re-rendered; nothing started yet.
    expect(await store.listJobs("summarize")).toEqual([]);
    await first.receive({ id: "tick-retry", name: "issues", payload: tick(issue.number) });
    expect(await store.listJobs("summarize")).toHaveLength(1);
    // Another instance (or this one after a restart) gets the same delivery: nothing twice.
    const second = await newApp();
    await second.receive({ id: "tick-retry", name: "issues", payload: tick(issue.number) });
    expect(await store.listJobs("summarize")).toHaveLength(1);
  });

  it("does not re-run a tick replayed under a new delivery id, nor act on an edit older than a day", async () => {
    await refreshDashboard(store, testOctokit(github), { owner: "acme", repo: "support" });
    const issue = github.repo(FULL).issues[0]!;
    const captured = tick(issue.number);
    await (await newApp()).receive({ id: "tick-original", name: "issues", payload: captured });
    const [job] = await store.listJobs("summarize");
    expect(job).toMatchObject({ status: "PENDING" });
    // The run ends, so nothing in flight would refuse a second one.
    await store.updateJob(job!.id, (j) => transition(j, "FAILED", { error_message: "done" }));
    // The same signed body, resent under a new delivery id, to this instance and another one.
    await (await newApp()).receive({ id: "tick-replayed", name: "issues", payload: captured });
    await (
      await newApp()
    ).receive({ id: "tick-replayed-2", name: "issues", payload: structuredClone(captured) });
    expect(await store.listJobs("summarize")).toHaveLength(1);
    // An edit from two days ago (a delivery kept and replayed later) starts nothing either.
    const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await (
      await newApp()
    ).receive({
      id: "tick-old",
      name: "issues",
      payload: tick(issue.number, "acme", { login: "kaizen[bot]", type: "Bot" }, old),
    });
    expect(await store.listJobs("summarize")).toHaveLength(1);
    // A new tick (a later edit) does start one.
    const later = new Date(Date.now() + 1_000).toISOString();
    await (
      await newApp()
    ).receive({
      id: "tick-new",
      name: "issues",
      payload: tick(issue.number, "acme", { login: "kaizen[bot]", type: "Bot" }, later),
    });
    expect(await store.listJobs("summarize")).toHaveLength(2);
  });
});
