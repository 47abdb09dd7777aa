/** Runs the `kaizen` CLI in-process, as a person would from a directory, and collects its output. */
import { PassThrough, type Readable } from "node:stream";
import { runCli } from "../../../src/cli/run.js";

export async function kaizen(
  cwd: string,
  env: NodeJS.ProcessEnv,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  return kaizenWith({ cwd, env }, ...argv);
}

/** Runs as in a terminal when `isTTY` (with `stdin` to type into), else as in a script. */
export async function kaizenWith(
  options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: Readable; isTTY?: boolean },
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runCli(argv, {
    stdout,
    stderr,
    stdin: options.stdin ?? new PassThrough(),
    env: options.env,
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
  });
  return { code, out, err };
}
