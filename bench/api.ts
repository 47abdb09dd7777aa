/**
 * `npm run bench -- api [--quick|--smoke]`: feedback ingestion of `kaizen serve` under 64
 * concurrent clients, next to a bare node:http server answering the same requests without
 * storing them and SQLite (WAL, `synchronous=FULL`, the same group commit: sqlite-peer.ts); one
 * client's durable write against SQLite's; a feedback page deep in 100,000 entries against the
 * first page; and the content-creating requests per minute the GitHub App makes at that load
 * against the fake.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "octokit";
import { Probot, ProbotOctokit } from "probot";
import { startLocalServer } from "../src/app/local.js";
import { createAppServer } from "../src/app/server.js";
import { initRepository } from "../src/store/local-git-store.js";
import { FakeGitHub } from "../test/fakes/github/index.js";
import { LocalGitStore } from "../src/store/local-git-store.js";
import { feedbackBatch } from "../test/helpers/records.js";
import { figure, progress } from "./report.js";
import { apiP99DuringOptimize } from "./serve-during-optimize.js";
import { startSqlitePeer } from "./sqlite-peer.js";

const CLIENTS = 64;
/**
 * Every server of the comparison keeps idle connections a minute: with Node's 5 s, a client
 * reusing a connection as the server closes it gets ECONNRESET on a loaded machine, and a POST is
 * not retried. And all 64 clients come from one address, at kaizen serve's per-address cap.
 */
const KEEP_ALIVE_MS = 60_000;
const SERVE_LIMITS = { keepAliveTimeoutMs: KEEP_ALIVE_MS, maxConnectionsPerAddress: 4 * CLIENTS };
const TASK_FILE = {
  ".kaizen/tasks/summarize.yml":
    "name: summarize\nfeedback_threshold: 1000000\nfeedback_retention_limit: 1000000\n",
};

/** `clients` clients posting feedback until `total` requests are acknowledged or `seconds` pass. */
async function load(url: string, key: string, options: { total: number; seconds: number; clients?: number }) {
  const latencies: number[] = [];
  const deadline = Date.now() + options.seconds * 1000;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.clients ?? CLIENTS }, async () => {
      while (next < options.total && Date.now() < deadline) {
        const n = next++;
        const t0 = performance.now();
        const response = await fetch(`${url}/api/v1/feedback`, {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify({
            task_id: "summarize",
            inputs: { ticket: `ticket ${n}` },
            output: `summary ${n}`,
            score: 0.8,
          }),
        });
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`request ${n} answered ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    perSecond: latencies.length / seconds,
    ...percentiles(latencies),
    count: latencies.length,
    seconds,
  };
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

/** The median time of `times` GETs of a feedback page at `offset`. */
async function pageMs(url: string, key: string, offset: number, times: number): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const response = await fetch(`${url}/api/v1/tasks/summarize/feedback?limit=50&offset=${offset}`, {
      headers: { "x-api-key": key },
    });
    const page = (await response.json()) as unknown[];
    if (response.status !== 200 || page.length !== 50)
      throw new Error(`page at ${offset} answered ${response.status} with ${page.length} entries`);
    latencies.push(performance.now() - t0);
  }
  return percentiles(latencies).p50;
}

export async function run(flags: string[]): Promise<void> {
  const smoke = flags.includes("--smoke");
  const quick = smoke || flags.includes("--quick");
  const total = smoke ? 128 : quick ? 1_000 : 5_000;
  const single = smoke ? 10 : 200;
  const pageEntries = smoke ? 2_000 : 100_000;

  progress(`api: kaizen serve, ${total} feedback posts from ${CLIENTS} clients`);
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-api-"));
  await initRepository(dir, TASK_FILE);
  const local = await startLocalServer({ repoDir: dir, port: 0, limits: SERVE_LIMITS });
  const kaizen = await load(local.url, local.apiKey, { total, seconds: 300 });
  const commits = local.repo.ingestion.stats.commits;
  progress(`api: kaizen serve, ${single} feedback posts from one client`);
  const kaizenSingle = await load(local.url, local.apiKey, { total: single, seconds: 300, clients: 1 });
  await local.close();
  await rm(dir, { recursive: true, force: true });

  progress(`api: SQLite (WAL, synchronous=FULL, group commit), the same ${total} posts, then one client`);
  const sqliteDir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-sqlite-"));
  const sqlite = await startSqlitePeer(sqliteDir, KEEP_ALIVE_MS);
  const peer = await load(sqlite.url, "none", { total, seconds: 300 });
  const peerSingle = await load(sqlite.url, "none", { total: single, seconds: 300, clients: 1 });
  sqlite.seed(pageEntries);
  const peerFirstPage = await pageMs(sqlite.url, "none", 0, 20);
  const peerDeepPage = await pageMs(sqlite.url, "none", pageEntries - 200, 20);
  await sqlite.close();
  await rm(sqliteDir, { recursive: true, force: true });

  progress(
    `api: feedback pages of ${pageEntries} stored entries, the first and at offset ${pageEntries - 200}`,
  );
  const pagesDir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-pages-"));
  await initRepository(pagesDir, TASK_FILE);
  const seeding = await LocalGitStore.open(pagesDir);
  for (let i = 0; i < pageEntries; i += 1_000)
    await seeding.appendFeedback(
      "summarize",
      feedbackBatch("summarize", i, Math.min(1_000, pageEntries - i)),
      {
        retentionLimit: 1_000_000,
      },
    );
  await seeding.close();
  const pages = await startLocalServer({ repoDir: pagesDir, port: 0, limits: SERVE_LIMITS });
  const firstPage = await pageMs(pages.url, pages.apiKey, 0, 20);
  const deepPage = await pageMs(pages.url, pages.apiKey, pageEntries - 200, 20);
  await pages.close();
  await rm(pagesDir, { recursive: true, force: true });

  progress("api: bare node:http baseline");
  const bare = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as object;
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...body, id: "x" }));
    });
  });
  bare.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const baseline = await load(`http://127.0.0.1:${(bare.address() as AddressInfo).port}`, "none", {
    total,
    seconds: 300,
  });
  await new Promise<void>((resolve) => bare.close(() => resolve()));

  const optimizing = await apiP99DuringOptimize({ seconds: smoke ? 2 : 15 });

  progress("api: the GitHub App against the fake GitHub, 20 s at the same load");
  const github = await FakeGitHub.start();
  github.createRepo("acme/support", { files: TASK_FILE });
  github.userTokens.set("admin", "acme");
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const Octo = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    baseUrl: github.baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  }));
  const app = await createAppServer({
    probot: new Probot({ appId: 1, privateKey, secret: "s", logLevel: "fatal", Octokit: Octo }),
    userClient: (token) => new Octokit({ auth: token, baseUrl: github.baseUrl }),
  });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const created = await fetch(`${appUrl}/api/v1/keys`, {
    method: "POST",
    headers: { authorization: "Bearer admin", "content-type": "application/json" },
    body: JSON.stringify({ repo: "acme/support" }),
  });
  const { key } = (await created.json()) as { key: string };
  github.resetCounts();
  const onGitHub = await load(appUrl, key, { total: 1_000_000, seconds: smoke ? 1 : quick ? 5 : 20 });
  const contentRequests = github.count((route) => !route.startsWith("GET "));
  progress(`api: requests on GitHub by route: ${JSON.stringify(Object.fromEntries(github.counts))}`);
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await github.close();

  figure("feedback_acked_per_s", kaizen.perSecond);
  figure("ack_latency_p50_ms", kaizen.p50);
  figure("ack_latency_p99_ms", kaizen.p99);
  figure("node_http_baseline_per_s", baseline.perSecond);
  figure("sqlite_wal_full_per_s", peer.perSecond);
  figure("acked_ratio_to_node_http", kaizen.perSecond / baseline.perSecond);
  figure("acked_ratio_to_sqlite", kaizen.perSecond / peer.perSecond);
  figure("one_client_durable_write_p50_ms", kaizenSingle.p50);
  figure("sqlite_one_client_durable_write_p50_ms", peerSingle.p50);
  figure("feedback_page_first_ms", firstPage);
  figure("feedback_page_deep_ms", deepPage);
  figure("feedback_page_deep_ratio_to_first", deepPage / firstPage);
  figure("sqlite_page_first_ms", peerFirstPage);
  figure("sqlite_page_deep_ms", peerDeepPage);
  figure("serve_api_p99_no_job_ms", optimizing.idleP99);
  figure("serve_api_p99_during_optimize_ms", optimizing.busyP99);
  figure("serve_api_p99_ratio_during_optimize", optimizing.busyP99 / optimizing.idleP99);
  figure("serve_optimize_job_s", optimizing.jobSeconds);
  figure("local_commits", commits);
  figure("local_entries_acked", kaizen.count);
  figure("github_feedback_acked_per_s", onGitHub.perSecond);
  figure("github_ack_latency_p50_ms", onGitHub.p50);
  figure("github_content_requests_per_min", (contentRequests / onGitHub.seconds) * 60);
}
