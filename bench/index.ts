/**
 * `npm run bench -- NAME...` runs the named benchmarks; with no name, all of them. Each prints
 * `name: value` lines on stdout (progress on stderr). A bench is one module and one line here;
 * `report.ts` (how figures print) and `sqlite-peer.ts` are helpers, not benches. `--smoke` runs
 * a bench at a tiny size (CI runs every name so: test/bench/smoke.test.ts); `--quick` at a small one.
 */
const BENCHES: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  store: () => import("./store.js"),
  "store-github": () => import("./store-github.js"),
  "store-local": () => import("./store-local.js"),
  api: () => import("./api.js"),
  "api-hardening": () => import("./api-hardening.js"),
  "data-branch": () => import("./data-branch.js"),
  optimizer: () => import("./optimizer/index.js"),
  "first-job": () => import("./first-job.js"),
  action: () => import("./action.js"),
  sdk: () => import("./sdk.js"),
  canary: () => import("./canary.js"),
  "connection-flood": () => import("./connection-flood.js"),
  "task-listing": () => import("./task-listing.js"),
};

const args = process.argv.slice(2);
// A flag's value may follow it (`--seeds 3`): only words before the first flag are bench names.
const firstFlag = args.findIndex((a) => a.startsWith("--"));
const names = firstFlag === -1 ? args : args.slice(0, firstFlag);
const flags = firstFlag === -1 ? [] : args.slice(firstFlag);
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  console.error(
    `unknown bench ${unknown.map((n) => `"${n}"`).join(", ")}; the benches are: ${Object.keys(BENCHES).join(", ")}`,
  );
  process.exit(2);
}
// With no name, every bench once: `store` already runs its two halves.
const HALVES = new Set(["store-github", "store-local"]);
for (const name of names.length > 0 ? names : Object.keys(BENCHES).filter((n) => !HALVES.has(n))) {
  console.log(`# bench ${name}`);
  await (await BENCHES[name]!()).run(flags);
}
