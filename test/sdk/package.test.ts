import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { buildSdk } from "../../scripts/build-sdk.js";

describe("the kaizen/sdk package", () => {
  it("works from CommonJS and ESM, with nothing node-only inside (edge runtimes need only fetch)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "kaizen-sdk-"));
    try {
      await buildSdk(dir);
      const cjs = createRequire(import.meta.url)(path.join(dir, "index.cjs")) as Record<string, unknown>;
      const esm = (await import(pathToFileURL(path.join(dir, "index.js")).href)) as Record<string, unknown>;
      for (const exports of [cjs, esm])
        expect(Object.keys(exports).sort()).toEqual([
          "KaizenAPIError",
          "KaizenClient",
          "KaizenConfigError",
          "KaizenError",
          "KaizenRequestError",
          "instrument",
        ]);
      for (const file of ["index.js", "index.cjs"])
        expect(await readFile(path.join(dir, file), "utf8")).not.toMatch(
          /require\(["']node:|from ["']node:|process\.binding/,
        );
      const Client = esm.KaizenClient as new (options: object) => { close(): Promise<void> };
      await new Client({ apiKey: "k", baseUrl: "http://127.0.0.1:9" }).close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
