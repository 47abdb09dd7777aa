import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/report/diff.js";

describe("the prompt's diff in the report", () => {
  it("is a unified diff that git apply accepts", async () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const after = before
      .replace("line 3\n", "line 3\nRefunds are billing.\n")
      .replace("line 15\n", "line fifteen\n");
    const diff = unifiedDiff(before, after);
    expect(diff.split("\n").slice(0, 3)).toEqual(["--- a/prompt", "+++ b/prompt", "@@ -2,6 +2,7 @@"]);
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-diff-"));
    try {
      await writeFile(path.join(dir, "prompt"), before);
      await writeFile(path.join(dir, "change.diff"), `${diff}\n`);
      execFileSync("git", ["apply", "--unidiff-zero", "change.diff"], { cwd: dir });
      expect(await readFile(path.join(dir, "prompt"), "utf8")).toBe(after);
      expect(diff).toContain("-line 15\n+line fifteen");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
