/**
 * `npm run bench -- api`: feedback ingestion of `kaizen serve` under 64 concurrent clients,
 * next to a bare node:http server answering the same requests without storing them; and the
 * content-creating requests per minute the GitHub App makes at that load against the fake.
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
import { figure, progress } from "./report.js";

const CLIENTS = 64;
const TASK_FILE = {
  ".kaizen/tasks/summarize.yml":
    "name: summarize\nfeedback_threshold: 1000000\nfeedback_retention_limit: 1000000\n",
};

/** 64 clients posting feedback until `total` requests are acknowledged or `seconds` pass. */
async function load(url: string, key: string, options: { total: number; seconds: number }) {
  const latencies: number[] = [];
  const deadline = Date.now() + options.seconds * 1000;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
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
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    count: latencies.length,
    seconds,
  };
}

export async function run(flags: string[]): Promise<void> {
  const total = flags.includes("--quick") ? 1_000 : 5_000;

  progress(`api: kaizen serve, ${total} feedback posts from ${CLIENTS} clients`);
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-api-"));
  await initRepository(dir, TASK_FILE);
  const local = await startLocalServer({ repoDir: dir, port: 0 });
  const kaizen = await load(local.url, local.apiKey, { total, seconds: 300 });
  const commits = local.repo.ingestion.stats.commits;
  await local.close();
  await rm(dir, { recursive: true, force: true });

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
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const baseline = await load(`http://127.0.0.1:${(bare.address() as AddressInfo).port}`, "none", {
    total,
    seconds: 300,
  });
  await new Promise<void>((resolve) => bare.close(() => resolve()));

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
  const onGitHub = await load(appUrl, key, { total: 1_000_000, seconds: flags.includes("--quick") ? 5 : 20 });
  const contentRequests = github.count((route) => !route.startsWith("GET "));
  progress(`api: requests on GitHub by route: ${JSON.stringify(Object.fromEntries(github.counts))}`);
  await new Promise<void>((resolve) => app.server.close(() => resolve()));
  await github.close();

  figure("feedback_acked_per_s", kaizen.perSecond);
  figure("ack_latency_p50_ms", kaizen.p50);
  figure("ack_latency_p99_ms", kaizen.p99);
  figure("node_http_baseline_per_s", baseline.perSecond);
  figure("local_commits", commits);
  figure("local_entries_acked", kaizen.count);
  figure("github_feedback_acked_per_s", onGitHub.perSecond);
  figure("github_ack_latency_p50_ms", onGitHub.p50);
  figure("github_content_requests_per_min", (contentRequests / onGitHub.seconds) * 60);
}
