/**
 * Bundles the runnable surfaces into dist/ (scripts/bundle.ts): the Action (what `runs.main`
 * points at), the app server and the CLI, then the SDK, and writes the licences of every
 * package they bundle to dist/licenses.txt (failing on a licence not on the allow-list,
 * scripts/notices.ts), then prints its size and what each entry loads (scripts/dist-size.ts). dist/ is committed, so the build must be deterministic: CI rebuilds it
 * and fails on any difference (scripts/check-dist.ts).
 */
import { rmSync, writeFileSync } from "node:fs";
import { buildSdk, buildSdkTypes } from "./build-sdk.js";
import { bundleSurfaces } from "./bundle.js";
import { distFigures } from "./dist-size.js";
import { buildNotices } from "./notices.js";

// Start from an empty dist/ so that a chunk no longer produced does not linger (check-dist would miss it).
rmSync("dist", { recursive: true, force: true });

const surfaces = await bundleSurfaces("dist");
// The SDK is a library, not a program: its own bundles and declarations (package.json "exports").
const sdk = await buildSdk("dist/sdk");
buildSdkTypes("dist/sdk/types");

writeFileSync("dist/licenses.txt", buildNotices([surfaces, ...sdk], process.cwd()));
console.log(distFigures("dist", surfaces).join("\n"));
