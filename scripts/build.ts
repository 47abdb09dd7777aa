/**
 * Bundles the three runnable surfaces into dist/: the Action (what `runs.main` points at),
 * the app server and the CLI. dist/ is committed, so the build must be deterministic: CI
 * rebuilds it and fails on any difference (scripts/check-dist.ts).
 */
import { existsSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { buildSdk, buildSdkTypes } from "./build-sdk.js";

const SURFACES = {
  "action/index": "src/action/index.ts",
  "action/post": "src/action/post-index.ts",
  "app/index": "src/app/index.ts",
  // `kaizen serve` runs each optimization job on a thread of this module (src/app/local-worker.ts).
  "app/job-thread": "src/app/job-thread.ts",
  "cli/index": "src/cli/index.ts",
};

// A surface whose entry is not written yet is simply not built (no stub bundles in dist/).
const ENTRIES = Object.fromEntries(Object.entries(SURFACES).filter(([, source]) => existsSync(source)));

// Start from an empty dist/ so that a chunk no longer produced does not linger (check-dist would miss it).
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: ENTRIES,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);",
  },
});

// The SDK is a library, not a program: its own bundles and declarations (package.json "exports").
await buildSdk("dist/sdk");
buildSdkTypes("dist/sdk/types");
