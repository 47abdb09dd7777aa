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
    const job = Job.parse({
      id: newId(),
      task_id: taskId("local", "classify"),
      status: "SUCCESS",
      progress_step: "No significant improvement",
      created_at: new Date().toISOString(),
    });
    await world.store.putJob("classify", job);
    const { code, out } = await kaizen(world.dir, {}, "status");
    expect(code).toBe(0);
    expect(out).toMatch(/^task\s+feedback\s+threshold\s+active prompt\s+last job\n/);
    expect(out).toMatch(/classify\s+60\s+60\/50 due\s+none yet\s+SUCCESS No significant improvement/);
    const json = JSON.parse((await kaizen(world.dir, {}, "status", "--json")).out) as {
      task: string;
      due: boolean;
      last_job: { id: string };
    }[];
    expect(json).toEqual([
      expect.objectContaining({
        task: "classify",
        due: true,
        last_job: expect.objectContaining({ id: job.id }),
      }),
    ]);
  });
});

describe("kaizen keys", () => {
  it("creates a key shown once, lists it without its secret, and revokes it", async () => {
    const created = JSON.parse(
      (await kaizen(world.dir, {}, "keys", "create", "--name", "ci", "--json")).out,
    ) as { id: string; key: string };
    expect(created.key).toMatch(/^kz_local_/);
    const listed = (await kaizen(world.dir, {}, "keys", "list")).out;
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);
    expect((await kaizen(world.dir, {}, "keys", "revoke", created.id)).out).toBe(
      `Revoked key ${created.id}.\n`,
    );
    expect(await kaizen(world.dir, {}, "keys", "revoke", created.id)).toMatchObject({
      code: 1,
      err: expect.stringContaining(`no key ${created.id}`),
    });
    expect(await kaizen(world.dir, {}, "keys", "rotate")).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown action "rotate"'),
    });
  });
});

describe("kaizen feedback import", () => {
  const write = async (name: string, text: string) => {
    const { writeFile } = await import("node:fs/promises");
    const file = `${world.dir}/${name}`;
    await writeFile(file, text);
    return file;
  };

  it("imports nothing when lines in the middle are bad, and names every bad line and field", async () => {
    const lines = [
      JSON.stringify({ inputs: { ticket: "a" }, output: "billing", score: 1 }),
      JSON.stringify({ inputs: { ticket: "b" }, output: "x", score: 3 }),
      "{not json",
      JSON.stringify({ task_id: "nope", output: "y", score: 0.5 }),
      JSON.stringify({ inputs: { ticket: "c" }, output: "technical", score: 0 }),
    ];
    const file = await write("bad.jsonl", `${lines.join("\n")}\n`);
    const before = (await world.store.getTaskState("classify"))!.feedback_total;
    const { code, err } = await kaizen(world.dir, {}, "feedback", "import", file, "--task", "classify");
    expect(code).toBe(1);
    expect(err).toContain("line 2: score: must be at most 1, got number 3");
    expect(err).toContain("line 3: (line): not valid JSON");
    expect(err).toContain("line 4: task_id: task nope not found");
    expect(err).toContain("3 of 5 line(s) are invalid; nothing was imported");
    expect((await world.store.getTaskState("classify"))!.feedback_total).toBe(before);
  });

  it("imports a CSV file from standard input, and a second import stores nothing twice", async () => {
    const csv =
      'inputs,output,score,source\n"{""ticket"": ""refund, please""}",billing,1,human\n"{""ticket"": ""crash""}","technical,\nreally",0.5,human\n';
    const { Readable } = await import("node:stream");
    const { runCli } = await import("../../src/cli/run.js");
    const { PassThrough } = await import("node:stream");
    const run = async () => {
      const out = new PassThrough();
      let text = "";
      out.on("data", (c: Buffer) => (text += c.toString()));
      const code = await runCli(["feedback", "import", "-", "--format", "csv", "--task", "classify"], {
        stdout: out,
        stderr: new PassThrough(),
        stdin: Readable.from([csv]),
        env: {},
        cwd: world.dir,
        isTTY: false,
      });
      return { code, text };
    };
    expect(await run()).toEqual({
      code: 0,
      text: expect.stringMatching(
        /^Imported 2 feedback entries from 2 line\(s\)\.\nImport \S+; to take it back: kaizen feedback delete --task classify --import \S+\n$/,
      ),
    });
    expect((await run()).text).toBe(
      "Imported 0 feedback entries from 2 line(s); skipped 2 already stored (the same id, or without an id the same task, inputs, output, score, source and metadata).\n",
    );
  });

  it("imports different data from standard input twice, and another file with the same name", async () => {
    const { Readable, PassThrough } = await import("node:stream");
    const { runCli } = await import("../../src/cli/run.js");
    const importText = async (text: string, source: string) => {
      const out = new PassThrough();
      let printed = "";
      out.on("data", (c: Buffer) => (printed += c.toString()));
      const code = await runCli(["feedback", "import", source, "--task", "classify", "--json"], {
        stdout: out,
        stderr: new PassThrough(),
        stdin: Readable.from([text]),
        env: {},
        cwd: world.dir,
        isTTY: false,
      });
      return { code, result: JSON.parse(printed) as { added: number; duplicates: number } };
    };
    const line = (ticket: string) =>
      `${JSON.stringify({ inputs: { ticket }, output: "billing", score: 1 })}\n`;
    expect((await importText(line("first stdin"), "-")).result).toMatchObject({ added: 1, duplicates: 0 });
    expect((await importText(line("second stdin"), "-")).result).toMatchObject({ added: 1, duplicates: 0 });
    const { mkdir } = await import("node:fs/promises");
    await mkdir(`${world.dir}/a`, { recursive: true });
    await mkdir(`${world.dir}/b`, { recursive: true });
    await write("a/export.jsonl", line("from a"));
    await write("b/export.jsonl", line("from b"));
    expect((await importText("", "a/export.jsonl")).result).toMatchObject({ added: 1 });
    expect((await importText("", "b/export.jsonl")).result).toMatchObject({ added: 1 });
    // The same content again, under another name, is still stored once.
    await write("c.jsonl", line("from a"));
    expect((await importText("", "c.jsonl")).result).toMatchObject({ added: 0, duplicates: 1 });
  });
});

describe("API key prefixes", () => {
  it("show no more than four characters of the secret, even when the secret contains '_'", async () => {
    const { keyPrefix } = await import("../../src/app/auth/api-keys.js");
    expect(keyPrefix("kz_local_0123456789abcdef0123456789abcdef_ab_cdefghijklmnopqrstuvwxyz")).toBe(
      "kz_local_0123456789abcdef0123456789abcdef_ab_c",
    );
    expect(keyPrefix("kz_4242_0123456789abcdef0123456789abcdef_Secret_with_underscores")).toBe(
      "kz_4242_0123456789abcdef0123456789abcdef_Secr",
    );
  });
});
