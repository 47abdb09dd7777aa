import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Metafile } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  bundledPackages,
  checkLicenses,
  DisallowedLicenseError,
  licenseAllowed,
  noticesText,
} from "../../scripts/notices.js";
import { builtDir } from "../helpers/built.js";

/** A metafile whose one output holds code of the given files. */
const metafileOf = (...inputs: string[]): Metafile => ({
  inputs: {},
  outputs: {
    "dist/cli/index.js": {
      bytes: 1,
      imports: [],
      exports: [],
      inputs: Object.fromEntries(inputs.map((i) => [i, { bytesInOutput: 10 }])),
    },
  },
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "kaizen-notices-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function fakePackage(dir: string, manifest: object, files: Record<string, string> = {}) {
  await mkdir(path.join(root, dir), { recursive: true });
  await writeFile(path.join(root, dir, "package.json"), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, dir, name), text);
}

describe("the licences of bundled packages", () => {
  it("allows a licence on the list, one alternative of an OR, and all parts of an AND", () => {
    for (const ok of ["MIT", "ISC", "(MIT OR GPL-3.0)", "(Apache-2.0 AND BSD-3-Clause)", "BlueOak-1.0.0"])
      expect(licenseAllowed(ok), ok).toBe(true);
    for (const refused of ["GPL-3.0", "(MIT AND GPL-3.0)", "UNKNOWN", "SEE LICENSE IN LICENSE.md", ""])
      expect(licenseAllowed(refused), refused).toBe(false);
  });

  it("fails naming each package whose licence is not allowed, nested and scoped ones included", async () => {
    await fakePackage(
      "node_modules/fine",
      { name: "fine", version: "1.0.0", license: "MIT" },
      { LICENSE: "MIT text" },
    );
    await fakePackage("node_modules/fine/node_modules/@evil/copyleft", {
      name: "@evil/copyleft",
      version: "2.1.0",
      license: "GPL-3.0",
    });
    await fakePackage("node_modules/unlabelled", { name: "unlabelled", version: "0.1.0" });
    const packages = bundledPackages(
      [
        metafileOf(
          "node_modules/fine/index.js",
          "node_modules/fine/node_modules/@evil/copyleft/lib/a.js",
          "node_modules/unlabelled/x.js",
          "src/cli/index.ts",
        ),
      ],
      root,
    );
    expect(packages.map((p) => p.name)).toEqual(["@evil/copyleft", "fine", "unlabelled"]);
    expect(() => checkLicenses(packages)).toThrow(DisallowedLicenseError);
    expect(() => checkLicenses(packages)).toThrow(
      "bundled packages whose licence is not on the allow-list (scripts/notices.ts): @evil/copyleft@2.1.0 (GPL-3.0), unlabelled@0.1.0 (UNKNOWN)",
    );
  });

  it("writes each package's own licence and notice files after the project's licence", async () => {
    await fakePackage(
      "node_modules/@scope/lib",
      { name: "@scope/lib", version: "3.0.0", license: { type: "Apache-2.0" } },
      { "LICENSE.txt": "Apache text", NOTICE: "Notice text", "README.md": "not a licence" },
    );
    const packages = bundledPackages([metafileOf("node_modules/@scope/lib/dist/index.js")], root);
    checkLicenses(packages);
    const text = noticesText(packages, "MIT License\n\nCopyright (c) Kaizen");
    expect(text.indexOf("MIT License")).toBeLessThan(text.indexOf("@scope/lib 3.0.0"));
    expect(text).toContain("@scope/lib 3.0.0\nLicense: Apache-2.0\n\nApache text\n\nNotice text\n");
    expect(text).not.toContain("not a licence");
  });

  it("writes a licence text that several packages ship once, under all their names", async () => {
    const mit = "MIT License\n\nCopyright (c) Octokit contributors";
    await fakePackage("node_modules/a", { name: "a", version: "1.0.0", license: "MIT" }, { LICENSE: mit });
    await fakePackage("node_modules/b", { name: "b", version: "2.0.0", license: "MIT" }, { LICENSE: mit });
    await fakePackage(
      "node_modules/c",
      { name: "c", version: "3.0.0", license: "ISC" },
      { LICENSE: "ISC text" },
    );
    const packages = bundledPackages(
      [metafileOf("node_modules/a/i.js", "node_modules/b/i.js", "node_modules/c/i.js")],
      root,
    );
    const text = noticesText(packages, "Kaizen's own");
    expect(text.split("Octokit contributors").length - 1).toBe(1);
    expect(text).toContain(`a 1.0.0\nLicense: MIT\nb 2.0.0\nLicense: MIT\n\n${mit}\n`);
    expect(text).toContain("c 3.0.0\nLicense: ISC\n\nISC text\n");
  });

  it("leaves out a package esbuild read but shipped none of", async () => {
    await fakePackage("node_modules/shaken", { name: "shaken", version: "1.0.0", license: "GPL-3.0" });
    const metafile = metafileOf();
    metafile.outputs["dist/cli/index.js"]!.inputs["node_modules/shaken/index.js"] = { bytesInOutput: 0 };
    expect(bundledPackages([metafile], root)).toEqual([]);
  });

  it("allows every package the real bundles hold", async () => {
    const metafile = JSON.parse(await readFile(path.join(builtDir(), "metafile.json"), "utf8")) as Metafile;
    const packages = bundledPackages([metafile], path.resolve(import.meta.dirname, "..", ".."));
    expect(packages.length).toBeGreaterThan(50);
    expect(() => checkLicenses(packages)).not.toThrow();
  });
});
