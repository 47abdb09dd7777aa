/**
 * Where a module that `kaizen serve` runs on a worker thread is: beside this one in src/ (run
 * through tsx, whose loader the thread then needs too), or `dist/app/<name>.js` in the bundle
 * (scripts/bundle.ts builds each as an entry of its own).
 */
export function threadModule(name: string): { url: URL; execArgv: string[] } {
  return import.meta.url.endsWith(".ts")
    ? {
        url: new URL(`../app/${name}.ts`, import.meta.url),
        execArgv: process.execArgv.some((arg) => arg.includes("tsx"))
          ? process.execArgv
          : [...process.execArgv, "--import", "tsx"],
      }
    : { url: new URL(`../app/${name}.js`, import.meta.url), execArgv: process.execArgv };
}
