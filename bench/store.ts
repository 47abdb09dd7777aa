/**
 * `npm run bench -- store`: what the repo-as-database costs. GitHub: REST requests per 1,000
 * feedback entries, against a naive one-request-per-entry writer measured in the same run.
 * Local git: append and read throughput and the read's peak memory, against plain baselines.
 */
import { runGitHubStoreBench } from "./store-github.js";
import { runLocalStoreBench } from "./store-local.js";

export async function run(flags: string[]): Promise<void> {
  const quick = flags.includes("--quick");
  await runGitHubStoreBench({
    entries: quick ? 2_000 : 10_000,
    batch: 500,
    naiveSample: quick ? 200 : 1_000,
  });
  await runLocalStoreBench({
    entries: quick ? 10_000 : 100_000,
    batch: 1_000,
    naiveSample: quick ? 50 : 200,
  });
}
