/**
 * Dispatches `kaizen <command> [args]`: help, version, unknown commands with a suggestion, and
 * the one place where an error becomes a message and an exit code.
 */
import { KaizenError } from "../core/errors.js";
import { closestName } from "../core/suggest.js";
import { CliUsageError, type CliIo, type CommandEntry } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { painter } from "./output.js";

const VERSION = "0.1.0";

/**
 * Runs one CLI invocation and resolves to its exit code: 0 success, 1 failure, 2 bad usage.
 *
 * @example
 * const code = await runCli(["validate", ".kaizen/tasks/summarize.yml"], io);
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(overview(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`kaizen ${VERSION}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  const paint = painter(io);
  if (!entry) {
    const hint = closestName(
      name,
      commands.map((c) => c.name),
    );
    io.stderr.write(
      `${paint("red", "error:")} unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ""}\nRun "kaizen --help" for the list.\n`,
    );
    return 2;
  }
  const command = await entry.load();
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`${paint("red", "error:")} ${error.message}\n\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    if (error instanceof KaizenError) {
      io.stderr.write(`${paint("red", "error:")} ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function overview(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `kaizen ${VERSION}: continuous prompt tuning, native to GitHub\n\nUsage: kaizen <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "kaizen <command> --help" for a command's options and an example.\n`;
}
