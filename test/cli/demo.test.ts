import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalGitStore } from "../../src/store/local-git-store.js";
import { kaizen } from "./helpers/run-cli.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-demo-test-"));
  dirs.push(dir);
  return dir;
}

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });

describe("kaizen demo", () => {
  it("runs the whole job on the simulated model with no key and no network, and leaves the better prompt on kaizen/summarize_ticket", async () => {
    const root = await scratch();
    const dir = path.join(root, "demo");
    // A real endpoint in the environment must not be used: the demo talks only to its simulated model.
    const env = { PATH: process.env.PATH, HOME: root, OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    const { code, out, err } = await kaizen(root, env, "demo", "--dir", dir);
    expect(err).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(out).toMatch(/SIMULATED/);
    expect(out).toContain("Imported 120 feedback entries");

    const before = git(dir, "show", "main:prompts/summarize_ticket.md");
    const after = git(dir, "show", "kaizen/summarize_ticket:prompts/summarize_ticket.md");
    expect(after).not.toBe(before);
    expect(after).toContain("{{ticket}}");
    expect(out).toContain(after.trimEnd().split("\n")[1]!);

    const store = await LocalGitStore.open(dir);
    const [job] = await store.listJobs("summarize_ticket");
    expect(job).toMatchObject({ status: "SUCCESS" });
    expect(out).toMatch(/Next, with your own repository/);
    // Every printed hint works as printed from where the demo ran, outside the demo repository.
    expect(out).toContain(`Review it with: git -C ${dir} diff main...kaizen/summarize_ticket`);
    expect(out).toContain(`  git -C ${dir} diff main...kaizen/summarize_ticket\n`);
    expect(out).toMatch(
      new RegExp(`kaizen feedback delete --task summarize_ticket --import \\S+ --repo ${dir}\n`),
    );
    const printed = /^ {2}(git -C \S+ diff main\.\.\.kaizen\/summarize_ticket)$/m.exec(out)![1]!.split(" ");
    expect(execFileSync(printed[0]!, printed.slice(1), { cwd: root, encoding: "utf8" })).toContain(
      "+++ b/prompts/summarize_ticket.md",
    );
    // The simulated answers never land in the user's own LLM cache.
    expect(existsSync(path.join(root, ".cache"))).toBe(false);
  }, 120_000);

  it("refuses a --dir that is not empty, and writes nothing into it", async () => {
    const dir = await scratch();
    await writeFile(path.join(dir, "notes.txt"), "mine");
    const { code, err } = await kaizen(dir, { PATH: process.env.PATH }, "demo", "--dir", dir);
    expect(code).toBe(2);
    expect(err).toContain("is not empty");
  });
});
