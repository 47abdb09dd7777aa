/**
 * The SDK's package files: an ESM and a CommonJS bundle (no dependencies left: zod is bundled,
 * everything else is fetch and Web Crypto) and TypeScript declarations.
 */
import { execFileSync } from "node:child_process";
import { build, type Metafile } from "esbuild";
import { ENGLISH_ONLY_ZOD } from "./bundle.js";

/** Writes the SDK's two bundles; resolves to esbuild's account of what each holds. */
export async function buildSdk(outdir: string): Promise<Metafile[]> {
  const metafiles: Metafile[] = [];
  for (const format of ["esm", "cjs"] as const) {
    const result = await build({
      entryPoints: ["src/sdk/index.ts"],
      outfile: `${outdir}/index.${format === "esm" ? "js" : "cjs"}`,
      bundle: true,
      platform: "neutral",
      mainFields: ["module", "main"],
      target: "es2022",
      format,
      legalComments: "none",
      logLevel: "warning",
      // Small, with every function's and class's name kept for stack traces.
      minify: true,
      keepNames: true,
      charset: "utf8",
      plugins: [ENGLISH_ONLY_ZOD],
      metafile: true,
    });
    metafiles.push(result.metafile);
  }
  return metafiles;
}

export function buildSdkTypes(outdir: string): void {
  execFileSync("tsc", ["-p", "tsconfig.sdk.json", "--outDir", outdir], { stdio: "inherit" });
}
