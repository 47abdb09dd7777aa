/**
 * `npm run bench -- store-github [--quick|--smoke]`: GitHubStore's request budget against the
 * fake GitHub, next to a naive Contents-API writer.
 */
import { GitHubStore } from "../src/store/github-store.js";
import { FakeGitHub, testOctokit } from "../test/fakes/github/index.js";
import { feedbackBatch } from "../test/helpers/records.js";
import { figure, progress } from "./report.js";

export async function run(flags: string[]): Promise<void> {
  const smoke = flags.includes("--smoke");
  const quick = smoke || flags.includes("--quick");
  await runGitHubStoreBench({
    entries: smoke ? 1_000 : quick ? 2_000 : 10_000,
    batch: 500,
    // One request per entry whatever the sample: 60 stay inside the secondary limit the fake
    // enforces as GitHub does (80 content-creating requests a minute per installation), which
    // a writer sending 1,000 unpaced would hit at the 81st.
    naiveSample: smoke ? 10 : 60,
  });
}

async function runGitHubStoreBench(options: {
  entries: number;
  batch: number;
  naiveSample: number;
}): Promise<void> {
  const github = await FakeGitHub.start();
  try {
    github.createRepo("acme/support");
    const entries = feedbackBatch("summarize", 0, options.entries);
    const store = new GitHubStore(testOctokit(github), { owner: "acme", repo: "support" });
    progress(`github: appending ${options.entries} entries in batches of ${options.batch}`);
    github.resetCounts();
    for (let i = 0; i < entries.length; i += options.batch) {
      await store.appendFeedback("summarize", entries.slice(i, i + options.batch), {
        retentionLimit: options.entries,
      });
    }
    const kaizenRequests = github.count();
    const commits = github.counts.get("POST /repos/{owner}/{repo}/git/commits") ?? 0;

    // The naive writer: one Contents-API PUT per entry, one file each, as a simple bot would.
    // Its cost per entry is constant, so a sample gives the rate.
    github.createRepo("acme/naive");
    const octokit = testOctokit(github);
    progress(`github: naive writer, ${options.naiveSample} entries one request each`);
    github.resetCounts();
    for (const entry of entries.slice(0, options.naiveSample)) {
      await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        owner: "acme",
        repo: "naive",
        path: `feedback/summarize/${entry.id}.json`,
        message: `Add feedback ${entry.id}`,
        content: Buffer.from(JSON.stringify(entry)).toString("base64"),
      });
    }
    const naiveRequests = github.count();
    github.assertClean();

    figure("github_requests_per_1000_feedback", (kaizenRequests / options.entries) * 1000);
    figure("naive_requests_per_1000_feedback", (naiveRequests / options.naiveSample) * 1000);
    figure("github_requests_total", kaizenRequests);
    figure("github_commits", commits);
    figure("github_entries", options.entries);
    figure("github_batch_size", options.batch);
  } finally {
    await github.close();
  }
}
