/**
 * dist/'s size budget (#25: at most 5 MB in all) and the figures that show where the bytes go.
 * `npm run build` prints them; `npm run check-dist`, which CI runs, fails over the budget, so a
 * heavy import into code the Action bundles is noticed when it is made, not a release later.
 */
import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Metafile } from "esbuild";
import { loadedAtStart } from "./bundle.js";

export const DIST_BUDGET_BYTES = 5_000_000;

/**
 * What `du -sb DIR` counts, so that the figure is the one anyone measures: the apparent size of
 * every file and directory under `dir`, itself included.
 */
export function distBytes(dir: string): number {
  let bytes = lstatSync(dir).size;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    bytes += entry.isDirectory() ? distBytes(full) : lstatSync(full).size;
  }
  return bytes;
}

/** @throws naming the size, the budget and what to do, when `bytes` is over the budget */
export function checkDistBudget(bytes: number, budget = DIST_BUDGET_BYTES): void {
  if (bytes > budget)
    throw new Error(
      `dist/ is ${bytes} bytes, over its budget of ${budget} bytes (scripts/dist-size.ts): the figures \`npm run build\` prints say which entry grew; load the heavy module lazily or leave it out of the bundle`,
    );
}

/** `name: value` lines: dist/'s bytes, and the bytes each entry loads before it runs. */
export function distFigures(dir: string, surfaces: Metafile): string[] {
  const lines = [`dist bytes: ${distBytes(dir)}`, `dist budget bytes: ${DIST_BUDGET_BYTES}`];
  for (const [file, output] of Object.entries(surfaces.outputs)) {
    if (!output.entryPoint || path.basename(path.dirname(file)) === "chunks") continue;
    const bytes = loadedAtStart(surfaces, file).reduce(
      (sum, f) => sum + (surfaces.outputs[f]?.bytes ?? 0),
      0,
    );
    lines.push(`dist ${path.relative(dir, file)} loads bytes: ${bytes}`);
  }
  return lines;
}
