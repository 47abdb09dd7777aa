/**
 * Every bench name runs, at a tiny size, as `npm run bench -- NAME` would: a bench that crashes
 * (an unknown name in the README, a baseline the fake GitHub now refuses) fails here, not on the
 * day someone re-measures. Figures are not checked: only that the bench ends well and prints some.
 * The benches are split over two test files (store.test.ts, the rest in others.test.ts) so that
 * vitest's two workers run them side by side: in one file they were CI's last 110 s on one core.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../../..");

/** The tiny size of each bench: its own flags. A new bench without an entry here fails others.test.ts. */
export const SMOKE: Record<string, string[]> = {
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
export function registeredBenches(): string[] {
  const source = readFileSync(path.join(root, "bench", "index.ts"), "utf8");
  const table = /const BENCHES[^{]*\{([\s\S]*?)\n\};/.exec(source)![1]!;
  return [...table.matchAll(/^\s*"?([\w-]+)"?: \(\) => import/gm)].map((m) => m[1]!);
}

/** The storage and API benches: the first of the two files. */
export const STORE_BENCHES = [
  "store",
  "store-github",
  "store-local",
  "api",
  "api-hardening",
  "data-branch",
  "connection-flood",
];

/** One test per bench: it runs to its end and prints at least one `name: value` line. */
export function smokeTests(names: readonly string[]): void {
  for (const name of names) {
    const flags = SMOKE[name]!;
    it(`runs ${name} to its end and prints figures`, async () => {
      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "--expose-gc", path.join(root, "bench", "index.ts"), name, ...flags],
        { cwd: root, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      );
      expect(stdout).toMatch(/^[^#\n][^\n]*: \S/m);
    }, 600_000);
  }
}
