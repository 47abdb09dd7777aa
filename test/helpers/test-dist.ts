/**
 * The bundles the process tests start: what `npm run build` makes (scripts/bundle.ts), built from
 * the working tree into `.test-dist/` before the tests run (vitest's globalSetup, test/setup.ts;
 * the Python suite calls this file as a script). A process then starts in about a second instead
 * of the 3–5 s that compiling src/ through tsx takes, and it never runs a stale build: the bundles
 * are rebuilt whenever a file they were built from changed.
 *
 * `.test-dist/` sits beside `dist/`, one level under the repository, because the bundles find
 * app.yml and docs/ from where they are (src/app/setup.ts, src/cli/commands/init.ts). It is
 * not dist/: engineers and tests never touch the committed bundles, which CI checks against src/
 * with `npm run check-dist`.
 *
 * Run as a script (`tsx test/helpers/test-dist.ts`), it builds if needed and prints the directory.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleSurfaces, NODE_BUNDLE } from "../../scripts/bundle.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const TEST_DIST = path.join(ROOT, ".test-dist");

/**
 * Test programs that run in their own process (a server to SIGKILL, a second writer), bundled
 * into `.test-dist/test-helpers/<name>.js`, each in one file.
 */
const TEST_PROGRAMS = {
  "serve-process": "test/app/helpers/serve-process.ts",
  "reject-process": "test/app/helpers/reject-process.ts",
  "append-process": "test/store/helpers/append-process.ts",
  "fake-openai-process": "test/helpers/python/fake-openai-process.ts",
  "serve-small-queue-process": "test/helpers/python/serve-small-queue-process.ts",
};

/** What the bundles depend on besides their source files (which esbuild's metafile lists). */
const ALWAYS = ["package.json", "package-lock.json", "scripts/bundle.ts", "test/helpers/test-dist.ts"];

interface Stamp {
  /** The files (relative to the repository) the bundles were built from. */
  inputs: string[];
  hash: string;
}

function hashOf(files: string[]): string | null {
  const hash = createHash("sha256");
  for (const file of files) {
    const full = path.join(ROOT, file);
    if (!existsSync(full)) return null;
    hash.update(`${file}\0`).update(readFileSync(full)).update("\0");
  }
  return hash.digest("hex");
}

function upToDate(): boolean {
  const stampFile = path.join(TEST_DIST, "stamp.json");
  if (!existsSync(stampFile)) return false;
  const stamp = JSON.parse(readFileSync(stampFile, "utf8")) as Stamp;
  return hashOf(stamp.inputs) === stamp.hash;
}

/**
 * Builds `.test-dist/` unless what it was built from is unchanged; resolves to its path.
 *
 * @example
 * const dir = await buildTestDist(); // then: node <dir>/cli/index.js --help
 */
export async function buildTestDist(): Promise<string> {
  if (upToDate()) return TEST_DIST;
  const started = Date.now();
  // Built beside the old one and swapped in whole: a concurrent run never sees half a build.
  const staging = `${TEST_DIST}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const surfaces = await bundleSurfaces(staging, ROOT);
    const programs = await build({
      ...NODE_BUNDLE,
      absWorkingDir: ROOT,
      entryPoints: TEST_PROGRAMS,
      outdir: path.join(staging, "test-helpers"),
      metafile: true,
    });
    // What went where, with output paths relative to the build (for test/build/bundle.test.ts).
    const prefix = `${path.relative(ROOT, staging)}/`;
    const strip = (file: string) => (file.startsWith(prefix) ? file.slice(prefix.length) : file);
    const outputs = Object.entries(surfaces.outputs).map(([file, output]) => [
      strip(file),
      { ...output, imports: output.imports.map((i) => ({ ...i, path: strip(i.path) })) },
    ]);
    writeFileSync(
      path.join(staging, "metafile.json"),
      JSON.stringify({ inputs: surfaces.inputs, outputs: Object.fromEntries(outputs) }),
    );
    const inputs = [
      ...new Set([
        ...ALWAYS,
        ...[...Object.keys(surfaces.inputs), ...Object.keys(programs.metafile.inputs)].filter(
          (file) => !file.startsWith("node_modules/") && existsSync(path.join(ROOT, file)),
        ),
      ]),
    ].sort();
    // A file saved while esbuild was reading may not be in these bundles: leave no stamp, so
    // the next run builds again instead of trusting them.
    const changedMeanwhile = inputs.some((file) => statSync(path.join(ROOT, file)).mtimeMs >= started);
    if (!changedMeanwhile)
      writeFileSync(path.join(staging, "stamp.json"), JSON.stringify({ inputs, hash: hashOf(inputs) }));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(TEST_DIST, { recursive: true, force: true });
  renameSync(staging, TEST_DIST);
  return TEST_DIST;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${await buildTestDist()}\n`);
}
