import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kaizen } from "./helpers/run-cli.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { FakeOpenAI } from "../fakes/openai/server.js";
import { kaizenGitEnv } from "../../src/store/local-git-backend.js";
import { installBrains, RULES, SEED_PROMPT, TASK_YAML, worldRepo } from "../optimizer/helpers/world.js";

const git = promisify(execFile);

describe("kaizen eval", () => {
  let fake: FakeOpenAI;
  let world: { dir: string; store: LocalGitStore };
  let cache: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    fake = await FakeOpenAI.start();
    installBrains(fake);
    world = await worldRepo(120);
    cache = await mkdtemp(path.join(tmpdir(), "kaizen-xdg-"));
    env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseURL, XDG_CACHE_HOME: cache };
  });
  afterEach(async () => {
    await fake.close();
    await rm(world.dir, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  const head = async (ref: string) =>
    (await git("git", ["rev-parse", ref], { cwd: world.dir })).stdout.trim();

  it("scores the prompt file in the working tree against the active prompt, and writes nothing", async () => {
    const edited = SEED_PROMPT.replace("Ticket:", `${RULES.refund}\n${RULES.crash}\nTicket:`);
    await writeFile(path.join(world.dir, "prompts/classify.md"), edited);
    const data = await head("kaizen/data");
    const report = path.join(cache, "eval-report.md");
    const { code, out } = await kaizen(world.dir, env, "eval", "--task", "classify", "--report", report);
    expect(code).toBe(0);
    // Text for a terminal: the verdict and its figures, no Markdown or HTML.
    expect(out).toMatch(
      /^✔ Your edit is better: 100\.0% against 0\.0% for the active prompt, \+100\.0 points \(95% interval \+\d+\.\d to \+100\.0\), on 24 held-out examples\.\n/,
    );
    expect(out).toContain("  held-out score  0.0% active → 100.0% your edit (+100.0 points, 24 examples)\n");
    expect(out).toContain("  change          instruction rewritten\n");
    expect(out).not.toMatch(/\*\*|<ins>|<details>|\| --- \|/);
    expect(out).toContain(`The whole report (Markdown): ${report}\n`);
    const markdown = await readFile(report, "utf8");
    expect(markdown).toMatch(
      /^## Kaizen: your edit of classify\n\n✅ \*\*Your edit is better: 100\.0% against 0\.0% for the active prompt/,
    );
    expect(markdown).toContain(`<ins><b>${RULES.refund}`);
    expect(markdown).toContain("This check only informs");
    expect(await head("kaizen/data")).toBe(data);
    expect((await git("git", ["show", "HEAD:prompts/classify.md"], { cwd: world.dir })).stdout).toBe(
      SEED_PROMPT,
    );
  });

  it("prices a model served from this machine at $0, as optimize does, with no model_prices", async () => {
    // The same endpoint (the fake at 127.0.0.1) that `kaizen optimize` accepts; eval refused it.
    const withoutPrices = TASK_YAML.split("\n")
      .filter((line) => !line.startsWith("model_prices:") && !line.startsWith("  sim-"))
      .join("\n");
    await writeFile(path.join(world.dir, ".kaizen/tasks/classify.yml"), withoutPrices);
    await git("git", ["commit", "-qam", "No prices: the models are served locally"], {
      cwd: world.dir,
      env: kaizenGitEnv(),
    });
    const plan = await kaizen(world.dir, env, "optimize", "--task", "classify", "--dry-run");
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).not.toContain("A run would be refused");
    await writeFile(path.join(world.dir, "prompts/classify.md"), `${SEED_PROMPT}${RULES.refund}\n`);
    const { code, out, err } = await kaizen(world.dir, env, "eval", "--task", "classify");
    expect(err).not.toContain("no price known");
    expect(code, err).toBe(0);
    expect(out).toMatch(/^✔ Your edit is better: /);
  }, 120_000);

  it("exits 0 when the edit is no better, saying so (--prompt FILE)", async () => {
    const file = path.join(world.dir, "polite.md");
    await writeFile(file, `${SEED_PROMPT}Answer politely.\n`);
    const { code, out } = await kaizen(world.dir, env, "eval", "--task", "classify", "--prompt", file);
    expect(code).toBe(0);
    expect(out).toMatch(/^– Your edit is not measurably better: 0\.0% against 0\.0% for the active prompt/);
    expect(out).toContain(
      "Your edit did not win more examples than it lost, so more data would not turn this into a yes",
    );
  });

  it("prints the most it can cost on a dry run and calls no model", async () => {
    await writeFile(path.join(world.dir, "prompts/classify.md"), `${SEED_PROMPT}Be brief.\n`);
    const { code, out, err } = await kaizen(world.dir, env, "eval", "--task", "classify", "--dry-run");
    expect(code).toBe(0);
    expect(err).toMatch(
      /eval classify: .*prompts\/classify\.md against the active prompt on 24 held-out examples; at most \$0\.\d{4} \(cap \$5\.00\)/,
    );
    expect(out).toContain("Dry run: no model was called, nothing was written.");
    expect(fake.calls).toBe(0);
  });

  it("exits 1 with the reason on an error: no model key, an unknown task, a missing file", async () => {
    const noKey = await kaizen(world.dir, { XDG_CACHE_HOME: cache }, "eval", "--task", "classify");
    expect(noKey.code).toBe(1);
    expect(noKey.err).toContain("OPENAI_API_KEY");
    const unknown = await kaizen(world.dir, env, "eval", "--task", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("task nope not found");
    const missing = await kaizen(world.dir, env, "eval", "--task", "classify", "--prompt", "gone.md");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read the prompt file .*gone\.md: ENOENT/);
  });
});
