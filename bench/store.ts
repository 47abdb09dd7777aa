/**
 * `npm run bench -- store [--quick|--smoke]`: what the repo-as-database costs. GitHub: REST
 * requests per 1,000 feedback entries, against a naive one-request-per-entry writer measured in
 * the same run (`store-github` alone). Local git: append and read throughput and the read's peak
 * memory, against plain baselines (`store-local` alone).
 */
import { run as runGitHub } from "./store-github.js";
import { run as runLocal } from "./store-local.js";

export async function run(flags: string[]): Promise<void> {
  await runGitHub(flags);
  await runLocal(flags);
}
