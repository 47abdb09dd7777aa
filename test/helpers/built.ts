/** Where the process tests find the bundles built for this run (test/helpers/test-dist.ts). */
import path from "node:path";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** `.test-dist/`, built from the working tree by test/setup.ts before any test ran. */
    testDist: string;
  }
}

/** The directory of this run's bundles. */
export function builtDir(): string {
  const dir = inject("testDist");
  if (!dir)
    throw new Error(
      "no bundles were built for this run: run the tests through vitest.config.ts (its globalSetup builds them)",
    );
  return dir;
}

/**
 * The bundle of a surface (`cli/index`, `action/index`, `action/post`, `app/index`) or of a
 * test program (`test-helpers/serve-process`), as built for this run.
 */
export function builtEntry(name: string): string {
  return path.join(builtDir(), `${name}.js`);
}
