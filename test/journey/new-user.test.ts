/**
 * A new user's way, as README and the quickstart tell it, with real processes: Kaizen packed as
 * npm would publish it, installed from the tarball into a fresh git repository, then `init`,
 * `validate`, `feedback import`, `optimize` (against the fake OpenAI-compatible server), `status`,
 * the SDK's import and the App's registration page; and README's first command exactly as written. The packed package holds dist/, which CI has
 * checked against src/ before the tests run.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DEMO_PROMPT, DEMO_TASK, demoFeedbackJsonl } from "../../src/demo/repository.js";
import { SIMULATED_MODELS, simulatedAnswer } from "../../src/demo/simulated-model.js";
import { FakeOpenAI } from "../fakes/openai/server.js";

const KAIZEN_ROOT = path.resolve(import.meta.dirname, "../..");
const MODELS = Object.values(SIMULATED_MODELS);
const exec = promisify(execFile);

let scratch: string;
let fake: FakeOpenAI;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "kaizen-journey-"));
  fake = await FakeOpenAI.start();
  // The fake server answers as the ticket world of `kaizen demo`, where a better prompt exists.
  for (const model of MODELS) fake.brain(model, (r) => simulatedAnswer(model, r.messages, r.seed ?? 0)!);
});
afterAll(async () => {
  await fake.close();
  await rm(scratch, { recursive: true, force: true });
});

/**
 * A person's shell: this machine's environment (proxies, certificates) without what `npm test`
 * adds to it (npm_* variables would point npm at Kaizen's own project), this Node first on PATH,
 * git without a configured user, temporary files in the scratch directory.
 */
function shellEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([key, value]) => value !== undefined && !/^(npm_|INIT_CWD$|OPENAI_|KAIZEN_|GIT_)/i.test(key),
  );
  return {
    ...Object.fromEntries(inherited),
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
    TMPDIR: scratch,
    XDG_CACHE_HOME: path.join(scratch, "cache"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: path.join(scratch, "gitconfig"),
    ...extra,
  };
}

async function sh(cwd: string, command: string, args: string[], env = shellEnv()) {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      out: e.stdout ?? "",
      err: e.stderr ?? String(error),
    };
  }
}

/** Runs `npx kaizen app` in `repo` until it prints its setup link, and returns that page. */
async function setupPageOf(repo: string): Promise<string> {
  const child = spawn("npx", ["--no-install", "kaizen", "app", "--port", "0", "--host", "127.0.0.1"], {
    cwd: repo,
    env: shellEnv({ WEBHOOK_PROXY_URL: "https://smee.io/journey-channel" }),
    // Its own process group, so that stopping it stops npx's child too.
    detached: true,
  });
  try {
    let output = "";
    const link = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const url = /open (http:\/\/\S+)/.exec(output)?.[1];
        if (url) resolve(url);
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) =>
        reject(new Error(`kaizen app exited (${code}) before its link:\n${output}`)),
      );
    });
    const response = await fetch(link);
    expect(response.status).toBe(200);
    return await response.text();
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  }
}

const GIT_IDENTITY = ["-c", "user.name=New User", "-c", "user.email=new.user@example.com"];

describe("a new user's journey", () => {
  it("packs Kaizen, installs the tarball into a fresh repository, and goes init → validate → feedback import → optimize → status", async () => {
    const packed = await sh(KAIZEN_ROOT, "npm", ["pack", "--pack-destination", scratch, "--silent"]);
    expect(packed.err).not.toMatch(/npm error/);
    const tarball = path.join(scratch, packed.out.trim().split("\n").at(-1)!);
    expect(existsSync(tarball)).toBe(true);

    const repo = path.join(scratch, "support-bot");
    await mkdir(path.join(repo, "prompts"), { recursive: true });
    await writeFile(path.join(repo, "prompts/answer.md"), DEMO_PROMPT);
    await writeFile(path.join(repo, ".gitignore"), "node_modules/\n");
    await sh(repo, "git", ["init", "--quiet", "--initial-branch=main"]);
    await sh(repo, "npm", ["init", "-y"]);
    const install = await sh(repo, "npm", [
      "install",
      "--save-dev",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      tarball,
    ]);
    expect(install.code, install.err).toBe(0);
    // dist/ carries everything Kaizen runs: installing it fetches no other package.
    const installed = (await readdir(path.join(repo, "node_modules"))).filter((n) => !n.startsWith("."));
    expect(installed).toEqual(["kaizen-prompts"]);
    await sh(repo, "git", [...GIT_IDENTITY, "add", "-A"]);
    await sh(repo, "git", [...GIT_IDENTITY, "commit", "--quiet", "-m", "A support bot with a prompt"]);

    const kaizen = (...args: string[]) => sh(repo, "npx", ["--no-install", "kaizen", ...args], shellEnv());

    const init = await kaizen(
      "init",
      "--yes",
      "--task",
      "answer",
      "--teacher-model",
      SIMULATED_MODELS.teacher,
      "--judge-model",
      SIMULATED_MODELS.judge,
      "--student-model",
      SIMULATED_MODELS.student,
      "--threshold",
      "100",
    );
    expect(init.code, init.err).toBe(0);
    expect(init.out).toContain("wrote .kaizen/tasks/answer.yml");
    const taskFile = await readFile(path.join(repo, ".kaizen/tasks/answer.yml"), "utf8");
    expect(taskFile).toContain("prompt_path: prompts/answer.md");
    // The documentation the task file points to is there, in the installed package.
    const docs = /Every field: (\S+)/.exec(taskFile)?.[1];
    expect(docs && existsSync(path.join(repo, docs)), taskFile).toBe(true);

    // Models of the user's own server have no price: validate names them all, and is right once given.
    const unpriced = await kaizen("validate");
    expect(unpriced.code).toBe(1);
    expect(unpriced.out).toContain(`no price known for ${MODELS.map((m) => `"${m}"`).join(", ")}`);
    await appendFile(
      path.join(repo, ".kaizen/tasks/answer.yml"),
      "model_prices:\n" +
        MODELS.map((m) => `  ${m}: { input_per_mtok: 0.15, output_per_mtok: 0.6 }\n`).join(""),
    );
    expect((await kaizen("validate")).out).toContain("is not committed on main");
    await sh(repo, "git", [...GIT_IDENTITY, "add", "-A"]);
    await sh(repo, "git", [...GIT_IDENTITY, "commit", "--quiet", "-m", "Kaizen task"]);
    const valid = await kaizen("validate");
    expect(valid, valid.out).toMatchObject({ code: 0 });
    expect(valid.out).toContain("1 task file(s) checked: 0 error(s), 0 warning(s)");

    // The production log, without task ids: --task gives them.
    const feedback = demoFeedbackJsonl().replaceAll(`"task_id":"${DEMO_TASK}",`, "");
    await writeFile(path.join(scratch, "feedback.jsonl"), feedback);
    const imported = await kaizen(
      "feedback",
      "import",
      path.join(scratch, "feedback.jsonl"),
      "--task",
      "answer",
    );
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain("Imported 120 feedback entries");

    const optimized = await sh(
      repo,
      "npx",
      ["--no-install", "kaizen", "optimize", "--task", "answer", "--seed", "journey"],
      shellEnv({ OPENAI_API_KEY: "sk-journey", OPENAI_BASE_URL: fake.baseURL }),
    );
    expect(optimized.code, optimized.err).toBe(0);
    // In a log (not a terminal) the progress is one line per stage, not a redrawn bar.
    expect(optimized.err).not.toContain("\r");
    // The verdict as terminal text (the Markdown report goes to --report FILE and the job).
    expect(optimized.out).toMatch(/^(✔|✘|–) /m);
    expect(optimized.out).not.toContain("## Kaizen");
    expect(optimized.out).toContain("kaizen/answer");
    const branch = await sh(repo, "git", ["show", "kaizen/answer:prompts/answer.md"]);
    expect(branch.code, branch.err).toBe(0);
    expect(branch.out).not.toBe(await readFile(path.join(repo, "prompts/answer.md"), "utf8"));

    const status = await kaizen("status");
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/answer\s+120\s+\d+\/100.*SUCCESS/);

    // The SDK, from the installed package, in both module systems.
    for (const [flag, code] of [
      [
        "--input-type=module",
        "const { KaizenClient } = await import('kaizen-prompts/sdk'); console.log(typeof KaizenClient)",
      ],
      ["--input-type=commonjs", "console.log(typeof require('kaizen-prompts/sdk').KaizenClient)"],
    ] as const) {
      const sdk = await sh(repo, process.execPath, [flag, "-e", code]);
      expect(sdk, sdk.err).toMatchObject({ code: 0, out: "function\n" });
    }

    // The GitHub App from the installed package: without an APP_ID it serves the registration
    // page, whose manifest carries the installed app.yml's permissions.
    const appYml = parseYaml(await readFile(path.join(repo, "node_modules/kaizen-prompts/app.yml"), "utf8"));
    const page = await setupPageOf(repo);
    expect(page).toContain("Register the GitHub App on GitHub");
    const manifest = JSON.parse(
      /name="manifest" value="([^"]*)"/.exec(page)![1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&"),
    );
    expect(manifest.default_permissions).toEqual(appYml.default_permissions);
    expect(manifest.hook_attributes.url).toBe("https://smee.io/journey-channel");
  }, 600_000);

  it("runs README's first command as written (after npm ci) and it finishes with exit 0", async () => {
    const readme = await readFile(path.join(KAIZEN_ROOT, "README.md"), "utf8");
    const firstLine = /```sh\n(.*)\n/.exec(readme)?.[1] ?? "";
    const command = firstLine.replace(/\s+#.*$/, "").replace(/^npm ci && /, "");
    expect(command).toBe("npx kaizen demo");
    const demo = await sh(KAIZEN_ROOT, "sh", ["-c", command]);
    expect(demo.code, demo.err).toBe(0);
    expect(demo.out).toContain("kaizen/summarize_ticket");
    expect(demo.out).toContain("Next, with your own repository");
  }, 600_000);
});
