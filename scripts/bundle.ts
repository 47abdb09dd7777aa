/**
 * The bundles of the runnable surfaces (the Action, its post step, the app server, the CLI): one
 * esbuild configuration, used by `npm run build` for dist/ and by the tests, which build the same
 * bundles once before they run (test/helpers/test-dist.ts) so that a process test starts in about
 * a second instead of compiling src/ through tsx.
 *
 * What ships is minified with names kept (a stack trace still names its functions and methods),
 * in chunks named for the entries that load them, never for their content, so a rebuild after an
 * edit rewrites the chunks that changed and renames nothing.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { runInThisContext } from "node:vm";
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from "node:zlib";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";

export const SURFACES = {
  "action/index": "src/action/index.ts",
  "action/post": "src/action/post-index.ts",
  "app/index": "src/app/index.ts",
  // `kaizen serve` runs each optimization job on a thread of this module (src/app/local-worker.ts).
  "app/job-thread": "src/app/job-thread.ts",
  // ...and the cost estimate of its optimize answer on a thread of this one (src/app/local.ts).
  "app/estimate-thread": "src/app/estimate-thread.ts",
  "cli/index": "src/cli/index.ts",
};

/**
 * What every Node bundle of the project shares: ESM for Node 24, and a `require` for the
 * CommonJS dependencies that call it.
 */
export const NODE_BUNDLE: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  legalComments: "none",
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);",
  },
};

/**
 * zod's `locales` namespace (its error messages in 40 languages, 200 kB once minified) cannot be
 * tree-shaken, as `z.locales` reaches it; Kaizen writes its own messages and zod uses English by
 * default (its classic entry imports `locales/en.js` itself), so the namespace keeps only `en`.
 */
export const ENGLISH_ONLY_ZOD: Plugin = {
  name: "english-only-zod",
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, ({ path: file }) => ({
      loader: "js",
      resolveDir: path.dirname(file),
      contents: `export { default as en } from "./en.js";\n`,
    }));
  },
};

/**
 * Data too large to ship as JavaScript ships as brotli-compressed JSON beside the chunks and is
 * read when its module loads: a JSON text parses faster than the same array literal, and
 * compressed it takes a tenth of the room. Every bundle sits one directory below the output
 * directory (action/, app/, cli/, chunks/), so `../chunks/` finds the file from whichever bundle
 * holds the module. The build checks that the file decodes to exactly the package's data.
 */
interface PackedData {
  /** The package module that holds the data. */
  module: RegExp;
  /** The file under the output directory. */
  file: string;
  /**
   * The module's data, and the module's source with the data replaced by `load` (an expression
   * that reads the file, from `readFileSync` and `brotliDecompressSync`, which the plugin imports).
   */
  split(source: string, file: string): Promise<{ data: unknown; rewrite: (load: string) => string }>;
}

/**
 * The o200k_base token table is a 2 MB JavaScript array of strings (gpt-tokenizer's
 * bpeRanks/o200k_base.js), 40% of the whole bundle once minified: 0.8 MB packed, and it loads
 * in a third of the time the array literal takes to parse.
 */
const TOKEN_TABLE: PackedData = {
  module: /[\\/]gpt-tokenizer[\\/]esm[\\/]bpeRanks[\\/]o200k_base\.js$/,
  file: "chunks/o200k_base.json.br",
  async split(_source, file) {
    const data = ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
    if (!Array.isArray(data)) throw new Error(`${file}: the token table is not an array`);
    return { data, rewrite: (load) => `export default ${load};\n` };
  },
};

/**
 * @pydantic/genai-prices ships its price catalogue as the first statement of its module
 * (`const E = [...], J = {...};`, 480 kB minified, 10% of dist), the same data it can download as JSON
 * (its REMOTE_DATA_JSON_URL): 40 kB packed. The catalogue ends at the first `]` that starts a
 * line (everything inside it is indented); a release that lays the module out otherwise fails
 * the build here rather than shipping something else.
 */
const PRICE_CATALOGUE: PackedData = {
  module: /[\\/]@pydantic[\\/]genai-prices[\\/]dist[\\/]index\.js$/,
  file: "chunks/genai-prices.json.br",
  split(source, file) {
    const found = /^const ([A-Za-z_$][\w$]*) = (\[\n[\s\S]*?\n\])(?=[,;]\s)/.exec(source);
    if (!found) throw new Error(`${file}: expected the price catalogue first, as \`const X = [ … ]\``);
    const [whole, name, literal] = found as unknown as [string, string, string];
    const data: unknown = runInThisContext(`(${literal})`, { filename: file });
    if (!Array.isArray(data) || !isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data))
      throw new Error(`${file}: the price catalogue is not an array of plain JSON data`);
    return Promise.resolve({
      data,
      rewrite: (load) => `const ${name} = ${load}${source.slice(whole.length)}`,
    });
  },
};

function packedData(root: string, written: Map<string, Buffer>, packed: PackedData): Plugin {
  return {
    name: `packed-data ${packed.file}`,
    setup(esbuild) {
      esbuild.onLoad({ filter: packed.module }, async ({ path: file }) => {
        const { data, rewrite } = await packed.split(readFileSync(file, "utf8"), file);
        const json = JSON.stringify(data);
        // Compressing takes seconds: keep the result per content, as the tests rebuild often.
        const cached = path.join(
          root,
          "node_modules",
          ".cache",
          "kaizen-build",
          `${path.basename(packed.file, ".json.br")}-${createHash("sha256").update(json).digest("hex").slice(0, 16)}.json.br`,
        );
        let bytes = existsSync(cached) ? readFileSync(cached) : null;
        if (bytes === null) {
          bytes = brotliCompressSync(json, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_LGWIN]: 24 },
          });
          if (brotliDecompressSync(bytes).toString("utf8") !== json)
            throw new Error(`${file}: the compressed data does not decode to the original`);
          mkdirSync(path.dirname(cached), { recursive: true });
          writeFileSync(cached, bytes);
        }
        written.set(packed.file, bytes);
        const load = `JSON.parse(__kaizenBrotliDecompressSync(__kaizenReadFileSync(new URL("../${packed.file}", import.meta.url))).toString("utf8"))`;
        return {
          loader: "js",
          contents:
            `import { readFileSync as __kaizenReadFileSync } from "node:fs";\n` +
            `import { brotliDecompressSync as __kaizenBrotliDecompressSync } from "node:zlib";\n` +
            rewrite(load),
        };
      });
    },
  };
}

/**
 * Writes the surfaces' bundles to `outdir`; resolves to esbuild's account of what went where
 * (its paths relative to `root`, the repository), with the chunks under their final names.
 */
export async function bundleSurfaces(outdir: string, root = process.cwd()): Promise<Metafile> {
  // A surface whose entry is not written yet is simply not built (no stub bundles).
  const entryPoints = Object.fromEntries(
    Object.entries(SURFACES).filter(([, source]) => existsSync(path.join(root, source))),
  );
  const assets = new Map<string, Buffer>();
  const result = await build({
    ...NODE_BUNDLE,
    absWorkingDir: root,
    entryPoints,
    outdir,
    splitting: true,
    // Renamed below; esbuild needs a unique name to start from.
    chunkNames: "chunks/[name]-[hash]",
    minify: true,
    keepNames: true,
    // UTF-8 as is: escaping every non-ASCII character as \uXXXX makes text tables three times larger.
    charset: "utf8",
    sourcemap: false,
    metafile: true,
    write: false,
    plugins: [
      ENGLISH_ONLY_ZOD,
      packedData(root, assets, TOKEN_TABLE),
      packedData(root, assets, PRICE_CATALOGUE),
    ],
  });
  const names = stableChunkNames(result.metafile, outdir, root);
  const pattern = new RegExp(
    [...names.keys()].map((file) => path.basename(file).replace(/[.$]/g, "\\$&")).join("|"),
    "g",
  );
  const byBase = new Map([...names].map(([from, to]) => [path.basename(from), path.basename(to)]));
  for (const file of result.outputFiles) {
    const relative = path.relative(root, file.path);
    const target = path.join(root, names.get(relative) ?? relative);
    mkdirSync(path.dirname(target), { recursive: true });
    const text = names.size === 0 ? file.text : file.text.replace(pattern, (name) => byBase.get(name)!);
    // A bundle with a shebang (the CLI, package.json "bin") is a program: executable.
    writeFileSync(target, text, { mode: text.startsWith("#!") ? 0o755 : 0o644 });
  }
  for (const [name, bytes] of assets) writeFileSync(path.resolve(root, outdir, name), bytes);
  return renameOutputs(result.metafile, names);
}

/**
 * A chunk's name, from what it is rather than what it holds: a lazily loaded module is named
 * for its source (`src/cli/commands/demo.ts` → `chunks/cli-commands-demo.js`); a shared chunk
 * holds the code that exactly one set of entries and lazy modules loads, so it is named for that
 * set (`chunks/shared-<digest of the set>.js`), which an edit of the code does not change.
 */
function stableChunkNames(metafile: Metafile, outdir: string, root: string): Map<string, string> {
  const outputs = metafile.outputs;
  const outRel = path.relative(root, path.resolve(root, outdir));
  const chunksDir = path.join(outRel, "chunks");
  const isChunk = (file: string) => path.dirname(file) === chunksDir;
  const names = new Map<string, string>();
  for (const [file, output] of Object.entries(outputs)) {
    if (!isChunk(file) || !output.entryPoint) continue;
    const base = output.entryPoint
      .replace(/^src\//, "")
      .replace(/^node_modules\//, "")
      .replace(/\.[cm]?[jt]s$/, "")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    names.set(file, path.join(chunksDir, `${base}.js`));
  }
  // Every entry and lazy module, and the chunks each one loads before it runs.
  const roots = Object.entries(outputs).filter(([, output]) => output.entryPoint);
  const loadedBy = new Map<string, string[]>();
  for (const [rootFile] of roots) {
    // Relative to the output directory: dist/ and the tests' build name their chunks alike.
    const rootName = path.relative(outRel, names.get(rootFile) ?? rootFile);
    for (const file of loadedAtStart(metafile, rootFile))
      if (file !== rootFile) loadedBy.set(file, [...(loadedBy.get(file) ?? []), rootName]);
  }
  for (const [file, output] of Object.entries(outputs)) {
    if (!isChunk(file) || output.entryPoint) continue;
    const set = (loadedBy.get(file) ?? []).sort().join("\n");
    const digest = createHash("sha256").update(set).digest("hex").slice(0, 8);
    names.set(file, path.join(chunksDir, `shared-${digest}.js`));
  }
  const taken = new Map<string, string>();
  for (const [from, to] of names) {
    if (taken.has(to)) throw new Error(`two chunks would both be named ${to}: ${taken.get(to)} and ${from}`);
    taken.set(to, from);
  }
  return names;
}

/**
 * What an entry loads before it runs (its own file and the chunks it imports, statically, all
 * the way down); what it imports lazily (`import()`) is not in it.
 *
 * @example loadedAtStart(metafile, "dist/action/index.js") // ["dist/action/index.js", "dist/chunks/shared-….js", …]
 */
export function loadedAtStart(metafile: Metafile, entry: string): string[] {
  const seen = new Set([entry]);
  const visit = (file: string) => {
    for (const imported of metafile.outputs[file]?.imports ?? [])
      if (imported.kind === "import-statement" && !imported.external && !seen.has(imported.path)) {
        seen.add(imported.path);
        visit(imported.path);
      }
  };
  visit(entry);
  return [...seen];
}

/** The metafile with the outputs under their final names. */
function renameOutputs(metafile: Metafile, names: Map<string, string>): Metafile {
  const rename = (file: string) => names.get(file) ?? file;
  return {
    inputs: metafile.inputs,
    outputs: Object.fromEntries(
      Object.entries(metafile.outputs).map(([file, output]) => [
        rename(file),
        { ...output, imports: output.imports.map((i) => ({ ...i, path: rename(i.path) })) },
      ]),
    ),
  };
}
