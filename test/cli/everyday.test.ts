import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newId, taskId } from "../../src/core/ids.js";
import { Job } from "../../src/core/records.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { worldRepo } from "../optimizer/helpers/world.js";
import { kaizen } from "./helpers/run-cli.js";

let world: { dir: string; store: LocalGitStore };
beforeEach(async () => {
  world = await worldRepo(60);
});
afterEach(() => rm(world.dir, { recursive: true, force: true }));

describe("kaizen status", () => {
  it("shows each task's feedback against its threshold, active prompt and last job", async () => {
    const job = Job.parse({ id: newId(), task_id: taskId("local", "classify"), status: "SUCCESS", progress_step: "No significant improvement", created_at: new Date().toISOString() });
    await world.store.putJob("classify", job);
    const { code, out } = await kaizen(world.dir, {}, "status");
    expect(code).toBe(0);
    expect(out).toMatch(/^task\s+feedback\s+threshold\s+active prompt\s+last job\n/);
    expect(out).toMatch(/classify\s+60\s+60\/50 due\s+none yet\s+SUCCESS No significant improvement/);
    const json = JSON.parse((await kaizen(world.dir, {}, "status", "--json")).out) as { task: string; due: boolean; last_job: { id: string } }[];
    expect(json).toEqual([expect.objectContaining({ task: "classify", due: true, last_job: expect.objectContaining({ id: job.id }) })]);
  });
});

describe("kaizen keys", () => {
  it("creates a key shown once, lists it without its secret, and revokes it", async () => {
    const created = JSON.parse((await kaizen(world.dir, {}, "keys", "create", "--name", "ci", "--json")).out) as { id: string; key: string };
    expect(created.key).toMatch(/^kz_local_/);
    const listed = (await kaizen(world.dir, {}, "keys", "list")).out;
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);
    expect((await kaizen(world.dir, {}, "keys", "revoke", created.id)).out).toBe(`Revoked key ${created.id}.\n`);
    expect(await kaizen(world.dir, {}, "keys", "revoke", created.id)).toMatchObject({ code: 1, err: expect.stringContaining(`no key ${created.id}`) });
    expect(await kaizen(world.dir, {}, "keys", "rotate")).toMatchObject({ code: 2, err: expect.stringContaining('unknown action "rotate"') });
  });
});
