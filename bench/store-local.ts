/**
 * `npm run bench -- store-local [--quick|--smoke]`: LocalGitStore throughput and read memory,
 * next to plain baselines on the same entries.
 */
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { FeedbackResult } from "../src/core/records.js";
import { initRepository, LocalGitStore } from "../src/store/local-git-store.js";
import { feedbackBatch } from "../test/helpers/records.js";
import { figure, peakRss, progress, timed } from "./report.js";

const exec = promisify(execFile);

export async function run(flags: string[]): Promise<void> {
  const smoke = flags.includes("--smoke");
  const quick = smoke || flags.includes("--quick");
  await runLocalStoreBench({
    entries: smoke ? 2_000 : quick ? 10_000 : 100_000,
    batch: 1_000,
    naiveSample: smoke ? 5 : quick ? 50 : 200,
  });
}

async function runLocalStoreBench(options: {
  entries: number;
  batch: number;
  naiveSample: number;
}): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-local-"));
  try {
    await initRepository(dir);
    const store = await LocalGitStore.open(dir);
    const entries = feedbackBatch("summarize", 0, options.entries);

    progress(`local: appending ${options.entries} entries in batches of ${options.batch}`);
    const append = await timed(async () => {
      for (let i = 0; i < entries.length; i += options.batch) {
        await store.appendFeedback("summarize", entries.slice(i, i + options.batch), {
          retentionLimit: options.entries,
        });
      }
    });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss / 1024 / 1024;
    progress(`local: streaming them back`);
    const read = await peakRss(() =>
      timed(async () => {
        let count = 0;
        for await (const entry of store.readFeedback("summarize")) if (entry.id) count++;
        return count;
      }),
    );
    if (read.result.result !== options.entries)
      throw new Error(`read ${read.result.result} entries, expected ${options.entries}`);

    // Baseline 1: the same entries parsed from one plain JSONL file (no git at all).
    const file = path.join(dir, "plain.jsonl");
    await writeFile(file, entries.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const plain = await timed(async () => {
      let count = 0;
      for await (const line of createInterface({ input: createReadStream(file) }))
        if (FeedbackResult.parse(JSON.parse(line)).id) count++;
      return count;
    });

    // Baseline 2: a naive writer, one file and one porcelain commit per entry, on a sample.
    const naiveDir = path.join(dir, "naive");
    await initRepository(naiveDir);
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "b@x",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "b@x",
    };
    const naive = await timed(async () => {
      for (const entry of entries.slice(0, options.naiveSample)) {
        await writeFile(path.join(naiveDir, `${entry.id}.json`), JSON.stringify(entry));
        await exec("git", ["add", `${entry.id}.json`], { cwd: naiveDir, env });
        await exec("git", ["commit", "--quiet", "-m", `feedback ${entry.id}`], { cwd: naiveDir, env });
      }
    });

    figure("local_entries", options.entries);
    figure("local_append_entries_per_s", options.entries / append.seconds);
    figure("baseline_git_commit_per_entry_entries_per_s", options.naiveSample / naive.seconds);
    figure("local_read_entries_per_s", options.entries / read.result.seconds);
    figure("baseline_jsonl_file_read_entries_per_s", options.entries / plain.seconds);
    figure("local_rss_before_read_mb", rssBefore);
    figure("local_read_peak_rss_mb", read.peakMb);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
