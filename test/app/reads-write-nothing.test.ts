/**
 * After a person merges `kaizen/<task>` with git, `kaizen serve` serves the merged candidate as
 * active at once, and its reads commit nothing: no "Activate prompt version" on any branch.
 * Real git, real HTTP; commits counted on every ref before and after.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, taskId } from "../../src/core/ids.js";
import { startTestApi, type TestApi } from "./helpers/local-api.js";

const run = promisify(execFile);
const git = async (dir: string, ...args: string[]) => (await run("git", args, { cwd: dir })).stdout.trim();
const PERSON = ["-c", "user.name=Pat Reviewer", "-c", "user.email=pat@example.com"];
const MERGED = "Summarize {{ticket}} in one sentence, naming the product.\n";

describe("reads on kaizen serve after a person merged a candidate", () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(async () => api.close());

  it("serve the merged candidate as active, and write no commit", async () => {
    // The baseline is recorded by the first read (once); the candidate is a job's result.
    expect((await api.call("GET", "/api/v1/tasks/summarize_ticket/prompt")).body.version_number).toBe(1);
    const candidate = {
      id: newId(),
      task_id: taskId("local", "summarize_ticket"),
      version_number: 2,
      prompt_text: MERGED,
      eval_score: 0.9,
      status: "candidate" as const,
      optimizer: "kaizen",
      dspy_version: null,
      created_at: new Date().toISOString(),
      job_id: null,
    };
    await api.server.repo.store.putPromptVersion("summarize_ticket", candidate);
    // The person's merge, as git makes it on the default branch.
    await writeFile(path.join(api.dir, "prompts/summarize_ticket.md"), MERGED);
    await run("git", [...PERSON, "commit", "-q", "-am", "Merge kaizen/summarize_ticket"], { cwd: api.dir });

    const commits = () => git(api.dir, "rev-list", "--all", "--count");
    const heads = () => git(api.dir, "for-each-ref", "--format=%(refname) %(objectname)");
    const [countBefore, headsBefore] = [await commits(), await heads()];

    expect(await api.call("GET", "/api/v1/tasks/summarize_ticket/prompt")).toMatchObject({
      status: 200,
      body: { id: candidate.id, status: "active", prompt_text: MERGED },
    });
    const listed = (await api.call("GET", "/api/v1/tasks/summarize_ticket/prompts")).body;
    expect(
      listed.map((v: { version_number: number; status: string }) => [v.version_number, v.status]),
    ).toEqual([
      [2, "active"],
      [1, "archived"],
    ]);
    expect((await api.call("GET", "/api/v1/tasks/summarize_ticket")).body.active_prompt_score).toBe(0.9);

    expect(await commits()).toBe(countBefore);
    expect(await heads()).toBe(headsBefore);
    expect(await git(api.dir, "log", "--all", "--format=%s")).not.toContain("Activate prompt version");
  });
});
