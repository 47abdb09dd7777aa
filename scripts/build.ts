/**
 * Bundles the three runnable surfaces into dist/: the Action (what `runs.main` points at),
 * the app server and the CLI. dist/ is committed, so the build must be deterministic: CI
 * rebuilds it and fails on any difference (scripts/check-dist.ts).
 */
import { build } from "esbuild";

const ENTRIES = {
  "action/index": "src/action/index.ts",
  "app/index": "src/app/index.ts",
  "cli/index": "src/cli/index.ts",
};

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
  banner: { js: "import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);" },
});
