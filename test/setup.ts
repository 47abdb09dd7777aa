/**
 * vitest's globalSetup: builds the bundles the process tests start (test/helpers/test-dist.ts)
 * once, before any test file runs, and again before a watch-mode rerun, so no test runs a build
 * older than the working tree.
 */
import type { TestProject } from "vitest/node";
import { buildTestDist } from "./helpers/test-dist.js";

export default async function setup(project: TestProject): Promise<void> {
  project.provide("testDist", await buildTestDist());
  project.onTestsRerun(async () => project.provide("testDist", await buildTestDist()));
}
