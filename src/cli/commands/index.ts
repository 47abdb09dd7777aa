/**
 * The registry of `kaizen` subcommands, in the order `kaizen --help` lists them: a name and a
 * summary for the overview, and the module that runs it, loaded only when it runs. Loading every
 * command's module at start cost every invocation (`kaizen --version` included) the optimizer's
 * tokenizer tables, about 0.4 s.
 * A new command is one file in this folder and one entry here.
 */
import type { CommandEntry } from "../command.js";

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "demo",
    summary: "see Kaizen tune a prompt, start to end, on a demo repository with a simulated model",
    load: async () => (await import("./demo.js")).demoCommand,
  },
  {
    name: "init",
    summary: "set up a task for a prompt in this repository, and the workflow that tunes it",
    load: async () => (await import("./init.js")).initCommand,
  },
  {
    name: "serve",
    summary: "run Kaizen's HTTP API on a local git repository (no GitHub account needed)",
    load: async () => (await import("./serve.js")).serveCommand,
  },
  {
    name: "optimize",
    summary: "optimize a task's prompt from its logged feedback, on a local repository",
    load: async () => (await import("./optimize.js")).optimizeCommand,
  },
  {
    name: "eval",
    summary: "score your edit of a task's prompt against the active one, on held-out feedback",
    load: async () => (await import("./eval.js")).evalCommand,
  },
  {
    name: "jobs",
    summary: "list, show and cancel the optimization jobs of a local repository",
    load: async () => (await import("./jobs.js")).jobsCommand,
  },
  {
    name: "prompts",
    summary: "list a task's prompt versions; activate one, or roll back to the previous",
    load: async () => (await import("./prompts.js")).promptsCommand,
  },
  {
    name: "canary",
    summary: "the online canary of a task's candidate: status, promote or stop",
    load: async () => (await import("./canary.js")).canaryCommand,
  },
  {
    name: "status",
    summary: "show each task's feedback, active prompt and last job",
    load: async () => (await import("./status.js")).statusCommand,
  },
  {
    name: "validate",
    summary: "check task files (.kaizen/tasks/*.yml) and report every mistake with file:line:column",
    load: async () => (await import("./validate.js")).validateCommand,
  },
  {
    name: "feedback",
    summary: "import feedback from a JSONL or CSV file (all or nothing)",
    load: async () => (await import("./feedback.js")).feedbackCommand,
  },
  {
    name: "keys",
    summary: "create, list and revoke the API keys of a local repository",
    load: async () => (await import("./keys.js")).keysCommand,
  },
  {
    name: "app",
    summary: "run the Kaizen GitHub App; without an APP_ID, register it on GitHub first",
    load: async () => (await import("./app.js")).appCommand,
  },
];
