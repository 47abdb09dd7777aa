/**
 * The registry of `kaizen` subcommands, in the order `kaizen --help` lists them.
 * A new command is one file in this folder and one line here.
 */
import type { Command } from "../command.js";
import { appCommand } from "./app.js";
import { demoCommand } from "./demo.js";
import { evalCommand } from "./eval.js";
import { feedbackCommand } from "./feedback.js";
import { initCommand } from "./init.js";
import { jobsCommand } from "./jobs.js";
import { keysCommand } from "./keys.js";
import { optimizeCommand } from "./optimize.js";
import { promptsCommand } from "./prompts.js";
import { serveCommand } from "./serve.js";
import { statusCommand } from "./status.js";
import { validateCommand } from "./validate.js";

export const COMMANDS: readonly Command[] = [
  demoCommand,
  initCommand,
  serveCommand,
  optimizeCommand,
  evalCommand,
  jobsCommand,
  promptsCommand,
  statusCommand,
  validateCommand,
  feedbackCommand,
  keysCommand,
  appCommand,
];
