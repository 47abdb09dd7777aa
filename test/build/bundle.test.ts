import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { brotliDecompressSync } from "node:zlib";
import { findProvider } from "@pydantic/genai-prices";
import type { Metafile } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundleSurfaces, loadedAtStart } from "../../scripts/bundle.js";
import { builtDir } from "../helpers/built.js";

/** The real bundles' account of what went where (built for this run, as dist/ is built). */
async function realMetafile(): Promise<Metafile> {
  return JSON.parse(await readFile(path.join(builtDir(), "metafile.json"), "utf8")) as Metafile;
}

/** The packages whose code an output set holds. */
function packagesIn(metafile: Metafile, outputs: string[]): Set<string> {
  const packages = new Set<string>();
  for (const output of outputs)
    for (const input of Object.keys(metafile.outputs[output]?.inputs ?? {})) {
      const found = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
      if (found) packages.add(found[1]!);
    }
  return packages;
}

describe("what each entry loads", () => {
  it("the Action loads neither @actions/cache nor Azure's storage client until a job runs", async () => {
    const metafile = await realMetafile();
    const atStart = packagesIn(metafile, loadedAtStart(metafile, "action/index.js"));
    expect(atStart.has("@actions/core")).toBe(true);
    expect([...atStart].filter((p) => p === "@actions/cache" || p.startsWith("@azure/"))).toEqual([]);
    // They are bundled all the same, in the chunk the Action imports when it runs a job.
    expect(packagesIn(metafile, Object.keys(metafile.outputs)).has("@actions/cache")).toBe(true);
  });

  it("the Action's post step, which only fails jobs left in flight, loads neither the optimizer nor its model client", async () => {
    const metafile = await realMetafile();
    const atStart = loadedAtStart(metafile, "action/post.js");
    const packages = packagesIn(metafile, atStart);
    expect(packages.has("@actions/core")).toBe(true);
    expect(
      [...packages].filter((p) => ["openai", "@pydantic/genai-prices", "gpt-tokenizer", "ajv"].includes(p)),
    ).toEqual([]);
    const sources = atStart.flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {}));
    expect(sources.filter((file) => file.startsWith("src/optimizer/"))).toEqual([]);
  });

  it("ships the o200k token table compressed, decoding to exactly gpt-tokenizer's", async () => {
    const packed = await readFile(path.join(builtDir(), "chunks", "o200k_base.json.br"));
    const table = JSON.parse(brotliDecompressSync(packed).toString("utf8")) as unknown[];
    const source = path.resolve(
      import.meta.dirname,
      "../../node_modules/gpt-tokenizer/esm/bpeRanks/o200k_base.js",
    );
    const { default: original } = (await import(pathToFileURL(source).href)) as { default: unknown[] };
    expect(table.length).toBe(original.length);
    expect(table).toEqual(original);
  });
});

describe("what ships as data, not code", () => {
  it("ships genai-prices' catalogue compressed, no longer as 480 kB of JavaScript, decoding to the package's providers", async () => {
    const packed = await readFile(path.join(builtDir(), "chunks", "genai-prices.json.br"));
    const providers = JSON.parse(brotliDecompressSync(packed).toString("utf8")) as { id: string }[];
    expect(providers.length).toBeGreaterThan(10);
    for (const provider of providers) expect(findProvider({ providerId: provider.id })).toEqual(provider);
    // No bundle holds the catalogue as code any more.
    const chunks = await readdir(path.join(builtDir(), "chunks"));
    for (const chunk of chunks.filter((file) => file.endsWith(".js")))
      expect(await readFile(path.join(builtDir(), "chunks", chunk), "utf8"), chunk).not.toContain(
        "https://www.anthropic.com/pricing",
      );
  });
});

describe("chunk names", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "kaizen-bundle-"));
    const files: Record<string, string> = {
      "src/action/index.ts": 'import { shared } from "../core/shared.js";\nconsole.log(shared("action"));\n',
      "src/action/post-index.ts":
        'import { shared } from "../core/shared.js";\nconsole.log(shared("post"));\n',
      "src/app/index.ts": 'import { shared } from "../core/shared.js";\nconsole.log(shared("app"));\n',
      "src/cli/index.ts":
        '#!/usr/bin/env node\nimport { shared } from "../core/shared.js";\nconst { demo } = await import("./commands/demo.js");\nconsole.log(shared(demo()));\n',
      "src/cli/commands/demo.ts": 'export function demo(): string {\n  return "demo";\n}\n',
      "src/core/shared.ts": "export function shared(who: string): string {\n  return `hello ${who}`;\n}\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const snapshot = async (dir: string) => {
    const files: Record<string, string> = {};
    for (const sub of await readdir(dir, { recursive: true, withFileTypes: true }))
      if (sub.isFile()) {
        const full = path.join(sub.parentPath, sub.name);
        files[path.relative(dir, full)] = await readFile(full, "utf8");
      }
    return files;
  };

  it("stay the same when code changes, so a rebuild rewrites only the chunks that changed", async () => {
    await bundleSurfaces("dist", root);
    const before = await snapshot(path.join(root, "dist"));
    // The entries under their own names, the lazy module under its source's, and the shared
    // chunks (the surfaces' common code, esbuild's helpers) under the entries that load them.
    expect(Object.keys(before).sort()).toEqual([
      "action/index.js",
      "action/post.js",
      "app/index.js",
      "chunks/cli-commands-demo.js",
      expect.stringMatching(/^chunks\/shared-[0-9a-f]{8}\.js$/),
      expect.stringMatching(/^chunks\/shared-[0-9a-f]{8}\.js$/),
      "cli/index.js",
    ]);
    await writeFile(
      path.join(root, "src/core/shared.ts"),
      "export function shared(who: string): string {\n  return `hello again, ${who}`;\n}\n",
    );
    await bundleSurfaces("dist", root);
    const after = await snapshot(path.join(root, "dist"));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const changed = Object.keys(after).filter((file) => after[file] !== before[file]);
    expect(changed).toEqual([expect.stringMatching(/^chunks\/shared-[0-9a-f]{8}\.js$/)]);
  });

  it("are the same wherever the build goes: dist/ and the tests' build name chunks alike", async () => {
    await bundleSurfaces("dist", root);
    await bundleSurfaces(path.join(root, ".test-dist"), root);
    expect(Object.keys(await snapshot(path.join(root, ".test-dist"))).sort()).toEqual(
      Object.keys(await snapshot(path.join(root, "dist"))).sort(),
    );
  });
});
