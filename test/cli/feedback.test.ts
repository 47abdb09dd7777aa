/**
 * `kaizen feedback import|delete|export` through the real CLI on a real git repository: a
 * spreadsheet's CSV keeps its inputs, a typo'd key is refused, an import can be taken back, and
 * every deletion is one commit on kaizen/data that says what it removed.
 */
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FeedbackResult } from "../../src/core/records.js";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { worldRepo } from "../optimizer/helpers/world.js";
import { kaizen } from "./helpers/run-cli.js";

let world: { dir: string; store: LocalGitStore };
beforeEach(async () => {
  world = await worldRepo(0);
});
afterEach(() => rm(world.dir, { recursive: true, force: true }));

const write = async (name: string, text: string) => {
  const file = `${world.dir}/${name}`;
  await writeFile(file, text);
  return file;
};
const stored = async () => {
  const entries: FeedbackResult[] = [];
  for await (const entry of world.store.readFeedback("classify")) entries.push(entry);
  return entries;
};
const lastDataCommit = async () =>
  (await promisify(execFile)("git", ["log", "-1", "--format=%B", "kaizen/data"], { cwd: world.dir })).stdout;

/** 20 lines as a spreadsheet exports them: the prompt's placeholder as a column, a BOM, CRLF. */
const spreadsheet = () =>
  "\ufeffticket,output,score\r\n" +
  Array.from({ length: 20 }, (_, i) => `"Ticket ${i}, please help",general,${i % 2}\r\n`).join("");

describe("kaizen feedback import (CSV as spreadsheets export it)", () => {
  it("imports every line with the columns that are not feedback fields as its inputs", async () => {
    const file = await write("export.csv", spreadsheet());
    const { code, out, err } = await kaizen(world.dir, {}, "feedback", "import", file, "--task", "classify");
    expect(err).toContain("Inputs from column(s) ticket.");
    expect({ code, first: out.split("\n")[0] }).toEqual({
      code: 0,
      first: "Imported 20 feedback entries from 20 line(s).",
    });
    const entries = await stored();
    expect(entries).toHaveLength(20);
    expect(entries[3]).toMatchObject({
      inputs: { ticket: "Ticket 3, please help" },
      output: "general",
      score: 1,
    });
  });

  it("takes only the columns --inputs names, and says which it ignored", async () => {
    const file = await write("export.csv", "ticket,notes,output,score\nrefund,from chat,billing,1\n");
    const { code, err } = await kaizen(
      world.dir,
      {},
      "feedback",
      "import",
      file,
      "--task",
      "classify",
      "--inputs",
      "ticket",
    );
    expect(code).toBe(0);
    expect(err).toContain("Ignored column(s) notes: not feedback fields, and not in --inputs.");
    expect((await stored())[0]!.inputs).toEqual({ ticket: "refund" });
  });

  it("refuses the whole file when a line's inputs end up empty, naming the line", async () => {
    const file = await write(
      "export.csv",
      "ticket,output,score\nrefund,billing,1\n,general,0\ncrash,technical,1\n",
    );
    const { code, err } = await kaizen(world.dir, {}, "feedback", "import", file, "--task", "classify");
    expect(code).toBe(1);
    expect(err).toContain("line 3: inputs: empty: the input column(s) ticket are blank on this line");
    expect(err).toContain("1 of 4 line(s) are invalid; nothing was imported");
    expect(await stored()).toEqual([]);
  });

  it("refuses a header with no input column, and a column that is a typo of a field", async () => {
    const noInputs = await write("a.csv", "output,score\nbilling,1\n");
    expect((await kaizen(world.dir, {}, "feedback", "import", noInputs, "--task", "classify")).err).toContain(
      "line 1: (header): no column gives the inputs: add a column per input (the prompt's placeholders: ticket)",
    );
    const typo = await write("b.csv", "ticket,ouput,score\nrefund,billing,1\n");
    const result = await kaizen(world.dir, {}, "feedback", "import", typo, "--task", "classify");
    expect(result.code).toBe(1);
    expect(result.err).toContain("line 1: ouput: did you mean output?");
    expect(await stored()).toEqual([]);
  });
});

describe("kaizen feedback import (JSONL)", () => {
  it("refuses an unknown key, with the field it was probably meant to be", async () => {
    const file = await write(
      "typo.jsonl",
      `${JSON.stringify({ input: { ticket: "refund" }, output: "billing", score: 1 })}\n`,
    );
    const { code, err } = await kaizen(world.dir, {}, "feedback", "import", file, "--task", "classify");
    expect(code).toBe(1);
    expect(err).toContain("line 1: input: not a feedback field; did you mean inputs?");
    expect(await stored()).toEqual([]);
  });
});

describe("kaizen feedback delete and export", () => {
  it("takes an import back in one commit that says what it removed, leaving the rest", async () => {
    const keep = await write(
      "keep.jsonl",
      `${JSON.stringify({ inputs: { ticket: "keep me" }, output: "billing", score: 1 })}\n`,
    );
    await kaizen(world.dir, {}, "feedback", "import", keep, "--task", "classify");
    const bad = await write("bad.csv", spreadsheet());
    const imported = JSON.parse(
      (await kaizen(world.dir, {}, "feedback", "import", bad, "--task", "classify", "--json")).out,
    ) as { added: number; import_id: string };
    expect(imported.added).toBe(20);
    expect(await lastDataCommit()).toContain(
      `Record import ${imported.import_id} of classify: 20 feedback entries`,
    );

    const { code, out } = await kaizen(
      world.dir,
      {},
      "feedback",
      "delete",
      "--task",
      "classify",
      "--import",
      imported.import_id,
    );
    expect(code).toBe(0);
    expect(out).toBe(
      `Deleted 20 feedback entries of classify of import ${imported.import_id}, in one commit on kaizen/data.\n`,
    );
    expect(await lastDataCommit()).toMatch(
      new RegExp(`^Delete 20 feedback entries of classify of import ${imported.import_id}\n`),
    );
    const left = await stored();
    expect(left.map((e) => e.inputs)).toEqual([{ ticket: "keep me" }]);
    expect(await world.store.getTaskState("classify")).toMatchObject({
      feedback_retained: 1,
      feedback_since_optimization: 1,
    });

    const unknown = await kaizen(
      world.dir,
      {},
      "feedback",
      "delete",
      "--task",
      "classify",
      "--import",
      imported.import_id,
    );
    expect(unknown).toMatchObject({ code: 0, out: expect.stringContaining("Deleted nothing") });
  });

  it("deletes by id and by date, each in a commit naming what it removed", async () => {
    const file = await write("some.csv", spreadsheet());
    await kaizen(world.dir, {}, "feedback", "import", file, "--task", "classify");
    const [first, second] = await stored();
    const byId = await kaizen(
      world.dir,
      {},
      "feedback",
      "delete",
      "--task",
      "classify",
      "--id",
      first!.id,
      "--id",
      second!.id,
    );
    expect(byId.out).toContain("Deleted 2 feedback entries of classify with id");
    expect(await lastDataCommit()).toContain(`Removed: ${first!.id}, ${second!.id}`);
    const future = new Date(Date.now() + 60_000).toISOString();
    const byDate = await kaizen(
      world.dir,
      {},
      "feedback",
      "delete",
      "--task",
      "classify",
      "--before",
      future,
    );
    expect(byDate.out).toContain(`Deleted 18 feedback entries of classify created before ${future}`);
    expect(await stored()).toEqual([]);
    expect(
      await kaizen(world.dir, {}, "feedback", "delete", "--task", "classify", "--before", "someday"),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining("--before must be a date"),
    });
  });

  it("exports JSONL and CSV that import back as the same entries, and writes nothing", async () => {
    const file = await write("some.csv", spreadsheet());
    await kaizen(world.dir, {}, "feedback", "import", file, "--task", "classify");
    const before = await lastDataCommit();
    const jsonl = await kaizen(world.dir, {}, "feedback", "export", "--task", "classify");
    expect(jsonl.out.trim().split("\n")).toHaveLength(20);
    const csvOut = await kaizen(
      world.dir,
      {},
      "feedback",
      "export",
      "--task",
      "classify",
      "--output",
      "out.csv",
    );
    expect(csvOut.code).toBe(0);
    const csv = await readFile(`${world.dir}/out.csv`, "utf8");
    expect(csv.split("\n")[0]).toBe("id,created_at,ticket,output,score,source,metadata");
    expect(csv).toContain('"Ticket 3, please help",general,1');
    expect(await lastDataCommit()).toBe(before);

    const entries = await stored();
    await kaizen(
      world.dir,
      {},
      "feedback",
      "delete",
      "--task",
      "classify",
      "--before",
      new Date(Date.now() + 60_000).toISOString(),
    );
    expect(await kaizen(world.dir, {}, "feedback", "import", "out.csv", "--task", "classify")).toMatchObject({
      code: 0,
    });
    expect(await stored()).toEqual(entries);
  });
});
