/**
 * Every bench name runs, at a tiny size, as `npm run bench -- NAME` would: a bench that crashes
 * (an unknown name in the README, a baseline the fake GitHub now refuses) fails here, not on the
 * day someone re-measures. Figures are not checked: only that the bench ends well and prints some.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

/** The tiny size of each bench: its own flags. A new bench without an entry here fails the test below. */
const SMOKE: Record<string, string[]> = {
  store: ["--smoke"],
  "store-github": ["--smoke"],
  "store-local": ["--smoke"],
  api: ["--smoke"],
  "api-hardening": ["--entries", "200", "--requests", "10"],
  "data-branch": ["--tasks", "1"],
  // W7, the demonstrations world: its summary read Ax's results even when only Kaizen ran (a crash at the end).
  optimizer: ["--seeds", "1", "--worlds=W7", "--optimizers=kaizen"],
  "first-job": ["--seeds", "1", "--null-seeds", "1", "--sizes=50"],
  canary: ["--runs", "2", "--units", "200"],
  action: [],
  sdk: [],
  "connection-flood": ["--sockets", "64", "--requests", "5"],
  "task-listing": ["--tasks", "250", "--seconds", "1"],
};

/** The names bench/index.ts registers (read from its source: importing it would run every bench). */
function registeredBenches(): string[] {
  const source = readFileSync(path.join(root, "bench", "index.ts"), "utf8");
  const table = /const BENCHES[^{]*\{([\s\S]*?)\n\};/.exec(source)![1]!;
  return [...table.matchAll(/^\s*"?([\w-]+)"?: \(\) => import/gm)].map((m) => m[1]!);
}

describe("npm run bench -- NAME --smoke-size", () => {
  it("knows a tiny size for every registered bench", () => {
    expect(registeredBenches().sort()).toEqual(Object.keys(SMOKE).sort());
  });

  for (const [name, flags] of Object.entries(SMOKE)) {
    it(`runs ${name} to its end and prints figures`, async () => {
      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "--expose-gc", path.join(root, "bench", "index.ts"), name, ...flags],
        { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      );
      expect(stdout).toMatch(/^[^#\n][^\n]*: \S/m);
    }, 600_000);
  }
});
