/**
 * The API's p99 in a real `kaizen serve` process (tsx, src/cli) while an optimization job runs in
 * it, against the p99 of the same load with no job: the job runs on a thread of its own
 * (src/app/job-thread.ts), so the server's requests should not wait behind the search. The fake
 * model server runs in this process, as a remote model would in its own.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import path from "node:path";
import { FakeOpenAI } from "../test/fakes/openai/server.js";
import { installBrains, worldRepo } from "../test/optimizer/helpers/world.js";
import { progress } from "./report.js";

const KEY = "bench-operator-key-0123456789abcdef";
const CLIENTS = 8;

export async function apiP99DuringOptimize(options: { seconds: number }): Promise<{
  idleP99: number;
  busyP99: number;
  busyRequests: number;
  jobSeconds: number;
}> {
  const fake = await FakeOpenAI.start();
  fake.latencyMs = 20;
  installBrains(fake);
  const world = await worldRepo(100);
  await world.store.close();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("src/cli/index.ts"), "serve", "--repo", world.dir, "--port", "0"],
    {
      env: {
        ...process.env,
        KAIZEN_API_KEY: KEY,
        OPENAI_API_KEY: "sk-bench",
        OPENAI_BASE_URL: fake.baseURL,
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    let output = "";
    while (!/ at (http:\S+)/.test(output))
      output += ((await once(child.stdout, "data")) as [Buffer])[0].toString();
    const url = / at (http:\S+)/.exec(output)![1]!;
    child.stdout.resume();
    const headers = { "x-api-key": KEY, "content-type": "application/json" };
    let n = 0;
    /** Clients reading a feedback page and posting traces, until `until()` says stop. */
    const load = async (until: () => boolean) => {
      const latencies: number[] = [];
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          while (!until()) {
            const t0 = performance.now();
            const response =
              client % 2 === 0
                ? await fetch(`${url}/api/v1/tasks/classify/feedback?limit=20`, { headers })
                : await fetch(`${url}/api/v1/traces`, {
                    method: "POST",
                    headers,
                    // Traces, not feedback: feedback would reach the task's threshold and start a
                    // job during the run that must have none.
                    body: JSON.stringify({
                      task_id: "classify",
                      prompt_text: `Classify: load ${n++}`,
                      response_text: "billing",
                      model: "sim-student",
                    }),
                  });
            await response.arrayBuffer();
            if (response.status >= 300) throw new Error(`load answered ${response.status}`);
            latencies.push(performance.now() - t0);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return { p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0, count: latencies.length };
    };
    progress(`serve: ${options.seconds} s of API load with no job`);
    const idleUntil = Date.now() + options.seconds * 1000;
    const idle = await load(() => Date.now() > idleUntil);

    progress("serve: the same load while an optimization job runs");
    const started = await fetch(`${url}/api/v1/tasks/classify/optimize`, { method: "POST", headers });
    const { job } = (await started.json()) as { job: { id: string } };
    if (started.status !== 202) throw new Error(`optimize answered ${started.status}`);
    const t0 = performance.now();
    let done = false;
    const watch = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const status = (
          (await (await fetch(`${url}/api/v1/jobs/${job.id}`, { headers })).json()) as { status: string }
        ).status;
        if (["SUCCESS", "FAILED", "PR_FAILED", "CANCELLED"].includes(status)) done = true;
      }
    })();
    const busy = await load(() => done);
    await watch;
    return {
      idleP99: idle.p99,
      busyP99: busy.p99,
      busyRequests: busy.count,
      jobSeconds: (performance.now() - t0) / 1000,
    };
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
    await fake.close();
    await rm(world.dir, { recursive: true, force: true });
  }
}
