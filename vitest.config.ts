import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The bundles the process tests start, built once from the working tree before any test.
    globalSetup: ["test/setup.ts"],
    // Tests start real git processes and local HTTP servers; a 2-core CI machine needs headroom.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Test files are independent (their own temporary directories, servers on port 0), and much
    // of their time is spent waiting on git and child processes: two at once even on 2 cores,
    // where vitest's default (cores − 1) would run one.
    maxWorkers: Math.max(2, availableParallelism()),
    allowOnly: false,
    // GitHub's workflow parser imports its schema JSON without `with { type: "json" }`, which
    // Node refuses; through vite's transform it loads (test/build/workflow.test.ts).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    projects: [
      {
        extends: true,
        // `npm test`: every test but the scale suite.
        test: { name: "tests", include: ["test/**/*.test.ts"], exclude: ["test/scale/**"] },
      },
      {
        extends: true,
        // `npm run test:scale`: thousands of requests or lines each, minutes on a loaded machine;
        // CI runs them in a step of their own (.ci/run). One file at a time: each keeps both
        // cores busy by itself, and two at once timed out under load instead of finishing sooner.
        // A project with its own worker count needs its own place in the order (vitest refuses
        // two counts in one group when both projects run).
        test: {
          name: "scale",
          include: ["test/scale/**/*.test.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
