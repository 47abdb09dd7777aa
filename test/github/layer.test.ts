import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const GITHUB = path.resolve(import.meta.dirname, "../../src/github");

describe("src/github/", () => {
  it("only talks to GitHub: it writes nothing to Kaizen's store (the dashboard's record is src/store's)", async () => {
    const offending: string[] = [];
    for (const file of await readdir(GITHUB)) {
      const text = await readFile(path.join(GITHUB, file), "utf8");
      if (/\.transact\(|from "\.\.\/store\/store\.js"/.test(text)) offending.push(file);
    }
    expect(offending).toEqual([]);
  });
});
