/**
 * `npm run bench -- sdk`: what the SDK costs the app that embeds it. A cached getPrompt; the
 * caller's time per background logFeedback next to one bare fetch to the same local server;
 * and what instrument() adds to an openai call against the fake model, next to the bare call.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { startLocalServer } from "../src/app/local.js";
import { DEMO_FILES } from "../src/cli/commands/serve.js";
import { instrument, KaizenClient } from "../src/sdk/index.js";
import { initRepository } from "../src/store/local-git-store.js";
import { FakeOpenAI } from "../test/fakes/openai/server.js";
import { figure, progress } from "./report.js";

async function perCall(times: number, call: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, times); i++) await call();
  const start = performance.now();
  for (let i = 0; i < times; i++) await call();
  return ((performance.now() - start) * 1000) / times;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-sdk-"));
  await initRepository(dir, DEMO_FILES);
  const server = await startLocalServer({ repoDir: dir, port: 0 });
  const fake = await FakeOpenAI.start();
  try {
    const kaizen = new KaizenClient({
      apiKey: server.apiKey,
      baseUrl: server.url,
      background: true,
      flushAt: 500,
      onWarning: () => {},
    });
    progress("sdk: cached getPrompt");
    await kaizen.getPrompt("summarize_ticket");
    const cachedUs = await perCall(100_000, () => kaizen.getPrompt("summarize_ticket"));

    progress("sdk: background logFeedback against a bare fetch");
    const feedback = {
      taskId: "summarize_ticket",
      inputs: { ticket: "Login fails" },
      output: "User cannot log in.",
      score: 0.9,
    };
    const backgroundUs = await perCall(5_000, () => kaizen.logFeedback(feedback));
    const fetchUs = await perCall(500, async () => (await fetch(`${server.url}/healthz`)).arrayBuffer());
    await kaizen.close();

    progress("sdk: instrument() overhead against the fake OpenAI server");
    // Traces go to a sink that answers at once, as a remote Kaizen would from the app's point of
    // view: a Kaizen committing in this same process would bill its own work to the app's calls.
    const sink = createServer((req, res) =>
      req
        .resume()
        .on("end", () => res.writeHead(201, { "content-type": "application/json" }).end('{"traces":[]}')),
    );
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
    const bare = new OpenAI({ apiKey: "sk", baseURL: fake.baseURL });
    const tracer = new KaizenClient({ apiKey: server.apiKey, baseUrl: sinkUrl, onWarning: () => {} });
    const wrapped = instrument(new OpenAI({ apiKey: "sk", baseURL: fake.baseURL }), {
      client: tracer,
      task: "summarize_ticket",
    });
    const request = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: "Summarize: login broken" }],
    };
    // Alternating rounds, so that drift (JIT, sockets, the machine) falls on both alike.
    let bareUs = 0;
    let wrappedUs = 0;
    for (let round = 0; round < 10; round++) {
      bareUs += (await perCall(100, () => bare.chat.completions.create(request))) / 10;
      wrappedUs += (await perCall(100, () => wrapped.chat.completions.create(request))) / 10;
    }
    await tracer.close();
    sink.close();

    figure("get_prompt_cached_ops_per_s", 1e6 / cachedUs);
    figure("log_feedback_background_overhead_us", backgroundUs);
    figure("fetch_roundtrip_us", fetchUs);
    figure("openai_call_us", bareUs);
    figure("instrumented_openai_call_us", wrappedUs);
    figure("instrument_overhead_us", wrappedUs - bareUs);
  } finally {
    await fake.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
