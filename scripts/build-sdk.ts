/**
 * The SDK's package files: an ESM and a CommonJS bundle (no dependencies left: zod is bundled,
 * everything else is fetch and Web Crypto) and TypeScript declarations.
 */
import { execFileSync } from "node:child_process";
import { build } from "esbuild";

export async function buildSdk(outdir: string): Promise<void> {
  for (const format of ["esm", "cjs"] as const) {
    await build({
      entryPoints: ["src/sdk/index.ts"],
      outfile: `${outdir}/index.${format === "esm" ? "js" : "cjs"}`,
      bundle: true,
      platform: "neutral",
      mainFields: ["module", "main"],
      target: "es2022",
      format,
      legalComments: "none",
      logLevel: "warning",
    });
  }
}

export function buildSdkTypes(outdir: string): void {
  execFileSync("tsc", ["-p", "tsconfig.sdk.json", "--outDir", outdir], { stdio: "inherit" });
}
