/**
 * `npm run bench -- data-branch [--tasks 30] [--backends local,github]`: the largest listing of
 * the data branch that a single API request reads, on a large, long-lived branch.
 *
 * The branch is built in two steps. First, every task is given a history well past what the
 * rules keep, written as an older Kaizen without pruning left it (one commit a task): 200
 * feedback segments and 200 trace segments of 10 entries (retention keeps 1,000), 80 finished
 * jobs with their ledgers (50 records and 20 ledgers are kept), and 48 hours of idempotency
 * records (24 are kept). Then the store's own paths prune it, as they would on the first writes
 * after an upgrade: a feedback append and a trace append (retention, then compaction), a job
 * created and finished (job and ledger pruning), and one Idempotency-Key response remembered
 * (expiry). Building every task's history one append at a time would cost about 400 commits a
 * task, an hour per task on a loaded machine; the rules bound what is left the same way.
 *
 * Then each kind of request is sent once through the real HTTP API, on a fresh instance (nothing
 * cached, as on another app instance or after a restart), and every listing the backend returns
 * is counted (the files below the directory listed, as the store receives them); on GitHub, the
 * tree entries GitHub sent are counted too. Figures: `data_branch_<backend>_<request>_largest_listing_entries`
 * (the largest single listing of the request), `…_listed_entries` (all its listings together),
 * and the largest of all.
 */
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiHandler } from "../src/app/api/handler.js";
import { HttpError } from "../src/app/api/http.js";
import { createApiKey } from "../src/app/auth/api-keys.js";
import { createKaizenServer } from "../src/app/http-server.js";
import { remember } from "../src/app/idempotency.js";
import { Ingestion } from "../src/app/ingestion.js";
import { Metrics } from "../src/app/metrics.js";
import { CommitPacer } from "../src/app/pacing.js";
import type { RepoContext } from "../src/app/repo-context.js";
import { newId, taskId } from "../src/core/ids.js";
import { transition } from "../src/core/job-state.js";
import { Job, type FeedbackResult, type TraceResult } from "../src/core/records.js";
import { createJob } from "../src/jobs/index.js";
import type { CommitRequest, GitBackend } from "../src/store/backend.js";
import { GitHubBackend } from "../src/store/github-backend.js";
import { DATA_BRANCH, layout } from "../src/store/layout.js";
import { LocalGitBackend } from "../src/store/local-git-backend.js";
import { initRepository } from "../src/store/local-git-store.js";
import { RepoStore } from "../src/store/repo-store.js";
import { newSegmentName, toJsonl } from "../src/store/segments.js";
import { TaskState } from "../src/store/store.js";
import { FakeGitHub, testOctokit } from "../test/fakes/github/index.js";
import { figure, progress } from "./report.js";

const REPO_KEY = "bench";
const RETENTION = 1_000;
const OLD_SEGMENTS = 200;
const ENTRIES_PER_SEGMENT = 10;
const OLD_JOBS = 80;
const IDEMPOTENCY_HOURS = 48;
const IDEMPOTENCY_PER_HOUR = 4;

function flag(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
}

const taskName = (i: number) => `t${String(i).padStart(3, "0")}`;

function taskFiles(tasks: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < tasks; i++) {
    const name = taskName(i);
    files[`.kaizen/tasks/${name}.yml`] =
      `name: ${name}\nfeedback_threshold: 10000000\nfeedback_retention_limit: ${RETENTION}\nprompt_path: prompts/${name}.md\n`;
    files[`prompts/${name}.md`] = `Summarize the ticket: {{ticket}}\n`;
  }
  return files;
}

/** A GitBackend that records how many files each listing it returns holds. */
class CountingBackend implements GitBackend {
  readonly label: string;
  listings: { dir: string; entries: number }[] = [];
  blobsRead = 0;
  readonly #inner: GitBackend;

  constructor(inner: GitBackend) {
    this.#inner = inner;
    this.label = inner.label;
  }

  defaultBranch(): Promise<string> {
    return this.#inner.defaultBranch();
  }
  head(branch: string, options?: { maybeStale?: boolean }): Promise<string | null> {
    return this.#inner.head(branch, options);
  }
  async listFiles(commit: string, dir: string): Promise<ReadonlyMap<string, string>> {
    const files = await this.#inner.listFiles(commit, dir);
    this.listings.push({ dir, entries: files.size });
    return files;
  }
  readBlob(sha: string): Promise<string> {
    this.blobsRead++;
    return this.#inner.readBlob(sha);
  }
  readFile(ref: string, path: string): Promise<string | null> {
    return this.#inner.readFile(ref, path);
  }
  commit(request: CommitRequest): Promise<string> {
    return this.#inner.commit(request);
  }
}

/** A store over a counting backend, as one app instance opens it: nothing cached yet. */
interface Instance {
  backend: CountingBackend;
  store: RepoStore;
  /** Tree entries GitHub sent (GitHub only). */
  treeEntries?: { count: number };
}

interface World {
  open(): Instance;
  close(): Promise<void>;
}

async function localWorld(tasks: number): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-data-branch-"));
  await initRepository(dir, taskFiles(tasks));
  return {
    open() {
      const backend = new CountingBackend(new LocalGitBackend(dir));
      return { backend, store: new RepoStore(backend) };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function githubWorld(tasks: number): Promise<World> {
  const github = await FakeGitHub.start();
  // Time is compressed here: thousands of writes in minutes. Pacing is ingestion's business.
  github.limits.contentPerMinute = Infinity;
  github.limits.contentPerHour = Infinity;
  github.createRepo("acme/big", { files: taskFiles(tasks) });
  return {
    open() {
      // Retries on, as the app's client has them: a keep-alive connection the fake closed
      // while idle would otherwise fail a request with ECONNRESET.
      const octokit = testOctokit(github, { retry: true });
      const treeEntries = { count: 0 };
      octokit.hook.after("request", (response, options) => {
        if (String(options.url).includes("/git/trees/"))
          treeEntries.count += (response.data as { tree?: unknown[] }).tree?.length ?? 0;
      });
      const backend = new CountingBackend(new GitHubBackend(octokit, { owner: "acme", repo: "big" }));
      return { backend, store: new RepoStore(backend), treeEntries };
    },
    close: () => github.close(),
  };
}

/** A task's history as an older Kaizen without pruning left it, in one commit. */
async function seedHistory(store: RepoStore, task: string, start: number): Promise<number> {
  const task_id = taskId(REPO_KEY, task);
  const state = TaskState.parse({ task, created_at: new Date(start).toISOString() });
  await store.transact(`bench: the history of ${task}`, (tx) => {
    for (let s = 0; s < OLD_SEGMENTS; s++) {
      const at = new Date(start + s * 60_000);
      const feedback: FeedbackResult[] = [];
      const traces: TraceResult[] = [];
      for (let e = 0; e < ENTRIES_PER_SEGMENT; e++) {
        feedback.push(feedbackEntry(task_id, at, `${s}.${e}`));
        traces.push(traceEntry(task_id, at));
      }
      const name = newSegmentName(at);
      tx.write(layout.segment("feedback", task, name), toJsonl(feedback));
      tx.write(layout.segment("traces", task, name), toJsonl(traces));
      state.feedback_segments[name] = ENTRIES_PER_SEGMENT;
      state.trace_segments[name] = ENTRIES_PER_SEGMENT;
    }
    state.feedback_total = state.feedback_retained = OLD_SEGMENTS * ENTRIES_PER_SEGMENT;
    state.traces_total = OLD_SEGMENTS * ENTRIES_PER_SEGMENT;
    tx.writeJson(layout.state(task), TaskState, state);
    for (let j = 0; j < OLD_JOBS; j++) {
      const job = Job.parse({
        id: newId(),
        task_id,
        status: j % 3 === 0 ? "FAILED" : "SUCCESS",
        triggered_by: "auto_threshold",
        feedback_count: RETENTION,
        progress_step: "Done",
        created_at: new Date(start + j * 3_600_000).toISOString(),
      });
      tx.writeJson(layout.job(task, job.id), Job, job);
      tx.write(layout.ledger(task, job.id), `${JSON.stringify({ job: job.id, proposal: 1 })}\n`);
    }
  });
  return 2 * OLD_SEGMENTS + 2 * OLD_JOBS + 1;
}

function feedbackEntry(task_id: string, at: Date, ticket: string): FeedbackResult {
  return {
    id: newId(),
    task_id,
    inputs: { ticket: `ticket ${ticket}: the login page fails after the update` },
    output: "The user cannot log in.",
    score: 0.5,
    source: "bench",
    metadata: null,
    created_at: at.toISOString(),
  };
}

function traceEntry(task_id: string, at: Date): TraceResult {
  return {
    id: newId(),
    task_id,
    prompt_text: "Summarize the ticket: the login page fails",
    response_text: "The user cannot log in.",
    model: "gpt-4o-mini",
    tokens: 40,
    latency_ms: 300,
    source_file: null,
    source_line: null,
    source_variable: null,
    score: null,
    scored_by: null,
    created_at: at.toISOString(),
  };
}

async function seedIdempotency(store: RepoStore, now: number): Promise<number> {
  await store.transact("bench: 48 hours of idempotency records", (tx) => {
    for (let h = 0; h < IDEMPOTENCY_HOURS; h++) {
      const hour = new Date(now - h * 3_600_000).toISOString().slice(0, 13).replace(/[-T]/g, "");
      for (let r = 0; r < IDEMPOTENCY_PER_HOUR; r++)
        tx.write(layout.idempotency(hour, `${"0".repeat(56)}${String(h * 10 + r).padStart(8, "0")}`), "{}\n");
    }
  });
  return IDEMPOTENCY_HOURS * IDEMPOTENCY_PER_HOUR;
}

/** The store's own paths, once per task: what prunes the history above. */
async function pruneThroughStore(store: RepoStore, task: string): Promise<TraceResult[]> {
  const task_id = taskId(REPO_KEY, task);
  const now = new Date();
  await store.appendFeedback(
    task,
    Array.from({ length: 20 }, (_, i) => feedbackEntry(task_id, now, `new ${i}`)),
    { retentionLimit: RETENTION },
  );
  const traces = Array.from({ length: 20 }, () => traceEntry(task_id, now));
  await store.appendTraces(task, traces, { retentionLimit: RETENTION });
  const outcome = await createJob(store, { repoKey: REPO_KEY, task, triggeredBy: "manual", claim: true });
  if (!outcome.created) throw new Error(`bench: ${task} already has a job in flight`);
  await store.updateJob(outcome.job.id, (job) =>
    transition(job, "FAILED", { error_message: "bench: no model", progress_step: "Stopped" }),
  );
  return traces;
}

async function filesOnBranch(backend: GitBackend): Promise<{ total: number; byTop: Map<string, number> }> {
  const head = await backend.head(DATA_BRANCH);
  const files = head ? [...(await backend.listFiles(head, "")).keys()] : [];
  const byTop = new Map<string, number>();
  for (const file of files) byTop.set(file.split("/")[0]!, (byTop.get(file.split("/")[0]!) ?? 0) + 1);
  return { total: files.length, byTop };
}

/** The API over the store, as `kaizen serve` builds it, with no job runner. */
async function serve(store: RepoStore): Promise<{ url: string; close(): Promise<void> }> {
  const repo: RepoContext = {
    repoKey: REPO_KEY,
    fullName: "acme/big",
    store,
    ingestion: null as unknown as Ingestion,
    dispatcher: { dispatch: async () => {} },
    shipper: null,
    proposeChange: null,
  };
  repo.ingestion = new Ingestion(store, { pacer: new CommitPacer("bench", 0), maxQueued: 50_000 });
  const handle = createApiHandler({
    directory: { byRepoKey: (k) => Promise.resolve(k === REPO_KEY ? repo : null) },
    admin: { check: () => Promise.reject(new HttpError(401, "no admin in this bench")) },
    metrics: new Metrics(),
    repos: () => [repo],
    log: (message) => progress(`data-branch server: ${message}`),
  });
  const server = createKaizenServer(handle, () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Measured {
  request: string;
  status: number;
  largest: number;
  largestDir: string;
  listed: number;
  treeEntries: number | null;
  blobsRead: number;
}

async function measureBackend(name: string, world: World, tasks: number): Promise<Measured[]> {
  const started = performance.now();
  const now = Date.now();
  const { store, backend } = world.open();
  let seeded = await seedIdempotency(store, now);
  for (let i = 0; i < tasks; i++) {
    if (i % 10 === 0) progress(`data-branch ${name}: seeding the history of tasks ${i}…`);
    seeded += await seedHistory(store, taskName(i), now - 30 * 86_400_000);
  }
  const before = await filesOnBranch(backend);
  let traces: TraceResult[] = [];
  let newestTraces: TraceResult[] = [];
  for (let i = 0; i < tasks; i++) {
    if (i % 10 === 0) progress(`data-branch ${name}: pruning through the store, tasks ${i}…`);
    const appended = await pruneThroughStore(store, taskName(i));
    if (i === 0) traces = appended;
    newestTraces = appended;
  }
  await remember(store, "POST /bench", "expire the old hours", 200, {}, new Date(now));
  const after = await filesOnBranch(backend);
  figure(`data_branch_${name}_tasks`, tasks);
  figure(`data_branch_${name}_files_seeded`, seeded);
  figure(`data_branch_${name}_files_before_pruning`, before.total);
  figure(`data_branch_${name}_files_after_pruning`, after.total);
  for (const [top, count] of [...after.byTop].sort())
    figure(`data_branch_${name}_files_after_pruning_${top.replace(/\W/g, "_")}`, count);
  figure(`data_branch_${name}_build_s`, (performance.now() - started) / 1000);

  const { key, record } = createApiKey(REPO_KEY, "acme/big", "bench");
  await store.putKey(record);
  const lastJob = (await store.listJobs(taskName(tasks - 1)))[0]!;
  const requests: { request: string; method: string; route: string; body?: unknown; key?: string }[] = [
    {
      request: "feedback_post",
      method: "POST",
      route: "/api/v1/feedback",
      body: { task_id: taskName(0), inputs: { ticket: "one more" }, output: "ok", score: 1 },
    },
    { request: "feedback_page", method: "GET", route: `/api/v1/tasks/${taskName(0)}/feedback?limit=50` },
    {
      request: "trace_score",
      method: "POST",
      route: `/api/v1/traces/${traces[0]!.id}/score`,
      body: { score: 1 },
    },
    {
      // The usual case: a score soon after its trace (the newest segment of the data branch).
      request: "trace_score_newest",
      method: "POST",
      route: `/api/v1/traces/${newestTraces.at(-1)!.id}/score`,
      body: { score: 1 },
    },
    { request: "optimize", method: "POST", route: `/api/v1/tasks/${taskName(0)}/optimize` },
    {
      request: "optimize_idempotency_key",
      method: "POST",
      route: `/api/v1/tasks/${taskName(1 % tasks)}/optimize`,
      key: "bench-retry-1",
    },
    { request: "get_tasks", method: "GET", route: "/api/v1/tasks" },
    { request: "job_lookup", method: "GET", route: `/api/v1/jobs/${lastJob.id}` },
    { request: "jobs_of_task", method: "GET", route: `/api/v1/jobs?task_id=${taskName(0)}` },
  ];
  const measured: Measured[] = [];
  for (const r of requests) {
    // Each request on an instance that has cached nothing: what another instance, or this one
    // after a restart, would read.
    const instance = world.open();
    const api = await serve(instance.store);
    try {
      const response = await fetch(`${api.url}${r.route}`, {
        method: r.method,
        headers: {
          "x-api-key": key,
          ...(r.body === undefined ? {} : { "content-type": "application/json" }),
          ...(r.key ? { "idempotency-key": r.key } : {}),
        },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      });
      const text = await response.text();
      if (response.status >= 500)
        progress(`data-branch ${name}: ${r.request} answered ${response.status}: ${text}`);
      const listings = instance.backend.listings;
      const largest = listings.reduce((a, b) => (b.entries > a.entries ? b : a), { dir: "", entries: 0 });
      measured.push({
        request: r.request,
        status: response.status,
        largest: largest.entries,
        largestDir: largest.dir,
        listed: listings.reduce((sum, l) => sum + l.entries, 0),
        treeEntries: instance.treeEntries ? instance.treeEntries.count : null,
        blobsRead: instance.backend.blobsRead,
      });
    } finally {
      await api.close();
    }
  }
  for (const m of measured) {
    figure(`data_branch_${name}_${m.request}_status`, m.status);
    figure(`data_branch_${name}_${m.request}_largest_listing_entries`, m.largest);
    figure(`data_branch_${name}_${m.request}_largest_listing_dir`, m.largestDir || "(none)");
    figure(`data_branch_${name}_${m.request}_listed_entries`, m.listed);
    if (m.treeEntries !== null)
      figure(`data_branch_${name}_${m.request}_tree_entries_fetched`, m.treeEntries);
    figure(`data_branch_${name}_${m.request}_blobs_read`, m.blobsRead);
  }
  const top = measured.reduce((a, b) => (b.largest > a.largest ? b : a));
  figure(`data_branch_${name}_largest_listing_entries`, top.largest);
  figure(`data_branch_${name}_largest_listing_request`, top.request);
  return measured;
}

export async function run(args: string[]): Promise<void> {
  const tasks = Number(flag(args, "tasks", "30"));
  const backends = flag(args, "backends", "local,github").split(",");
  let largest: { backend: string; m: Measured } | null = null;
  for (const name of backends) {
    if (name !== "local" && name !== "github")
      throw new Error(`--backends: unknown backend "${name}" (local, github)`);
    const world = name === "github" ? await githubWorld(tasks) : await localWorld(tasks);
    try {
      for (const m of await measureBackend(name, world, tasks))
        if (!largest || m.largest > largest.m.largest) largest = { backend: name, m };
    } finally {
      await world.close();
    }
  }
  if (largest) {
    figure("data_branch_largest_listing_entries", largest.m.largest);
    figure(
      "data_branch_largest_listing_where",
      `${largest.backend} ${largest.m.request} ${largest.m.largestDir}`,
    );
  }
}
