/**
 * `kaizen serve` spends money on its own once a threshold is reached: its console says so, a
 * line when a job starts (with its estimate) and one when it ends (its outcome and its spend).
 * A real `kaizen serve` process, the fake OpenAI server as its model endpoint.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { installBrains, worldRepo } from "../optimizer/helpers/world.js";
import { kaizenServe, type ServeProcess } from "./helpers/kaizen-process.js";

const KEY = "console-test-key-0123456789abcdef0123";
let world: { dir: string; store: LocalGitStore } | undefined;
let home: string | undefined;
let serve: ServeProcess | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await serve?.stop();
  await fake?.close();
  if (world) await rm(world.dir, { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
  serve = fake = world = home = undefined;
});

describe("kaizen serve's console", () => {
  it("prints each job's start with its estimate, and its end with the outcome and the spend", async () => {
    world = await worldRepo(100);
    home = await mkdtemp(path.join(tmpdir(), "kaizen-home-"));
    fake = await FakeOpenAI.start();
    installBrains(fake);
    serve = await kaizenServe(world.dir, {
      KAIZEN_API_KEY: KEY,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.baseURL,
      HOME: home,
      XDG_CACHE_HOME: home,
    });
    const response = await fetch(`${serve.url}/api/v1/tasks/classify/optimize`, {
      method: "POST",
      headers: { "x-api-key": KEY, connection: "close" },
    });
    expect(response.status).toBe(202);
    const { job } = (await response.json()) as { job: { id: string } };

    const ended = new RegExp(`job ${job.id} of classify ended (\\w+): `);
    for (let i = 0; i < 2_400 && !ended.test(serve.log()); i++) await new Promise((r) => setTimeout(r, 50));
    const log = serve.log();
    expect(log).toMatch(
      new RegExp(
        `job ${job.id} of classify started \\(api_on_demand, 100 usable feedback entries\\): estimated \\$\\d+\\.\\d{4} for about \\d+ model calls\\n`,
      ),
    );
    expect(log).toMatch(
      new RegExp(
        `job ${job.id} of classify ended (SUCCESS|FAILED|PR_FAILED): [^\\n]+; spent \\$\\d+\\.\\d{4} of \\$\\d+\\.\\d{4} estimated`,
      ),
    );
    expect(log.indexOf(`${job.id} of classify started`)).toBeLessThan(
      log.indexOf(`${job.id} of classify ended`),
    );
  }, 600_000);
});
