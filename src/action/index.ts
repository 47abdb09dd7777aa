/** The Action's entry point (dist/action/index.js). */
import { run } from "./runner.js";

await run();
