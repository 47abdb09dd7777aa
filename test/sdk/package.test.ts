import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { buildSdk } from "../../scripts/build-sdk.js";

const PACKAGE_NAME = "kaizen-prompts";

interface PackageJson {
  name: string;
  bin: Record<string, string>;
  exports: Record<string, { import: string; require: string; types: string }>;
}

describe(`the ${PACKAGE_NAME}/sdk package`, () => {
  it("is installed under its own name, keeps the `kaizen` command, and exports the SDK as <name>/sdk", async () => {
    const manifest = JSON.parse(await readFile("package.json", "utf8")) as PackageJson;
    expect(manifest.name).toBe(PACKAGE_NAME);
    expect(Object.keys(manifest.bin)).toEqual(["kaizen"]);
    expect(Object.keys(manifest.exports)).toContain("./sdk");
  });

  it("resolves `kaizen-prompts/sdk` from CommonJS and ESM, with nothing node-only inside (edge runtimes need only fetch)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-sdk-"));
    try {
      // An installed copy: the real package.json, the SDK bundles where its "exports" point.
      const installed = path.join(dir, "node_modules", PACKAGE_NAME);
      await mkdir(installed, { recursive: true });
      await cp("package.json", path.join(installed, "package.json"));
      const manifest = JSON.parse(await readFile("package.json", "utf8")) as PackageJson;
      const sdk = manifest.exports["./sdk"]!;
      expect(path.dirname(sdk.import)).toBe(path.dirname(sdk.require));
      await buildSdk(path.join(installed, path.dirname(sdk.import)));
      await writeFile(path.join(dir, "probe.mjs"), `export * from "${PACKAGE_NAME}/sdk";\n`);

      const cjs = createRequire(path.join(dir, "probe.cjs"))(`${PACKAGE_NAME}/sdk`) as Record<
        string,
        unknown
      >;
      const esm = (await import(pathToFileURL(path.join(dir, "probe.mjs")).href)) as Record<string, unknown>;
      for (const exports of [cjs, esm])
        expect(Object.keys(exports).sort()).toEqual([
          "KaizenAPIError",
          "KaizenClient",
          "KaizenConfigError",
          "KaizenError",
          "KaizenRequestError",
          "instrument",
        ]);
      for (const file of [sdk.import, sdk.require])
        expect(await readFile(path.join(installed, file), "utf8")).not.toMatch(
          /require\(["']node:|from ["']node:|process\.binding/,
        );
      const Client = esm.KaizenClient as new (options: object) => { close(): Promise<void> };
      await new Client({ apiKey: "k", baseUrl: "http://127.0.0.1:9" }).close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
