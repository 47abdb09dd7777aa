/**
 * The `kaizen` command as a real OS process (the CLI's bundle, built from the working tree
 * before the tests: test/helpers/test-dist.ts): a one-shot command that exits, or `kaizen serve`
 * kept running until the test stops it.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { builtEntry } from "../../helpers/built.js";

/** Only what a person's shell needs: none of the variables `npm test` or CI would leak in. */
function processEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", ...env };
}

/** Runs `kaizen ...args` in `cwd` and collects its exit code and output. */
export function kaizenProcess(
  cwd: string,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [builtEntry("cli/index"), ...args],
      { cwd, env: processEnv(env), maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, out, err });
      },
    );
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Everything the server wrote to stderr so far (the worker's log). */
  log(): string;
  /**
   * Ctrl-C, as a person stops it; resolves with its exit code. A server still up 30 s later is
   * killed, so that a stuck one never outlives its test.
   */
  stop(): Promise<number | null>;
}

/** Starts `kaizen serve --port 0` in `cwd`; resolves once it says where it is serving. */
export async function kaizenServe(cwd: string, env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [builtEntry("cli/index"), "serve", "--port", "0"], {
    cwd,
    env: processEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const found = / at (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    void exited.then((code) =>
      reject(new Error(`kaizen serve exited ${code} before serving:\n${out}${err}`)),
    );
  });
  return {
    child,
    url,
    log: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
        void exited.finally(() => clearTimeout(kill));
      }
      return exited;
    },
  };
}
