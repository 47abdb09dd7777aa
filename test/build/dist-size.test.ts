import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkDistBudget, DIST_BUDGET_BYTES, distBytes } from "../../scripts/dist-size.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "kaizen-dist-size-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("dist/'s size budget", () => {
  it("counts what `du -sb` counts, so the figure is the one anyone measures", async () => {
    await mkdir(path.join(root, "dist", "chunks"), { recursive: true });
    await writeFile(path.join(root, "dist", "licenses.txt"), "x".repeat(1234));
    await writeFile(path.join(root, "dist", "chunks", "a.js"), "y".repeat(98765));
    const du = Number(
      execFileSync("du", ["-sb", path.join(root, "dist")], { encoding: "utf8" }).split("\t")[0],
    );
    expect(distBytes(path.join(root, "dist"))).toBe(du);
  });

  it("is 5,000,000 bytes; over it the check fails naming the size, the budget and where it is set", () => {
    expect(DIST_BUDGET_BYTES).toBe(5_000_000);
    expect(() => checkDistBudget(DIST_BUDGET_BYTES)).not.toThrow();
    expect(() => checkDistBudget(DIST_BUDGET_BYTES + 1)).toThrow(
      "dist/ is 5000001 bytes, over its budget of 5000000 bytes (scripts/dist-size.ts)",
    );
  });
});
