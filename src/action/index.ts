/** The Action's entry point (dist/action/index.js). */
import { runAction } from "./run.js";

await runAction();
