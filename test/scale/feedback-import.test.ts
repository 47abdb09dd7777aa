/**
 * `kaizen feedback import` at scale (the scale suite, `npm run test:scale`): a file of 100,000
 * lines streams in, with progress.
 */
import { rm, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalGitStore } from "../../src/store/local-git-store.js";
import { kaizen } from "../cli/helpers/run-cli.js";
import { worldRepo } from "../optimizer/helpers/world.js";

let world: { dir: string; store: LocalGitStore };
beforeEach(async () => {
  world = await worldRepo(60);
});
afterEach(() => rm(world.dir, { recursive: true, force: true }));

describe("kaizen feedback import at scale", () => {
  const write = async (name: string, text: string) => {
    const file = `${world.dir}/${name}`;
    await writeFile(file, text);
    return file;
  };

  it("imports 100,000 lines, streaming, with progress", async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) =>
      JSON.stringify({ inputs: { ticket: `t${i}` }, output: "billing", score: (i % 10) / 10 }),
    );
    const file = await write("big.jsonl", `${lines.join("\n")}\n`);
    const { code, out, err } = await kaizen(
      world.dir,
      {},
      "feedback",
      "import",
      file,
      "--task",
      "classify",
      "--json",
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      lines: 100_000,
      added: 100_000,
      duplicates: 0,
      import_id: expect.any(String),
    });
    expect(err).toContain("import: 100% (100000/100000)");
  }, 120_000);
});
