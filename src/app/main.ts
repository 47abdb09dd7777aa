/**
 * Starts the GitHub App from its environment: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH),
 * WEBHOOK_SECRET, PORT (3000), HOST, and GITHUB_API_URL for GitHub Enterprise Server. A `.env`
 * file in the working directory fills what the environment does not set. Without an APP_ID the
 * app first registers itself on GitHub from its manifest (setup.ts), then starts with the new
 * credentials, on the same port, without a restart.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseEnv } from "node:util";
import { Octokit } from "octokit";
import { Probot, ProbotOctokit } from "probot";
import { appOctokitClass } from "../github/client.js";
import { KaizenError } from "../core/errors.js";
import { createAppServer } from "./server.js";
import { startSetupServer } from "./setup.js";

export interface StartOptions {
  /** Where `.env` is read and, after registration, written (default: the working directory). */
  cwd?: string;
  log?: (line: string) => void;
}

export async function startApp(
  processEnv: NodeJS.ProcessEnv,
  options: StartOptions = {},
): Promise<{ server: Server }> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  let env = withDotEnv(processEnv, cwd);
  let port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? "0.0.0.0";
  if (!env.APP_ID) {
    const registration = await registerApp(env, { cwd, port, host, log });
    env = { ...env, ...registration.credentials };
    port = registration.port;
  }

  const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !env[name]);
  const privateKey = readPrivateKey(env);
  if (!privateKey) missing.push("PRIVATE_KEY or PRIVATE_KEY_PATH");
  if (missing.length > 0)
    throw new KaizenError(
      `cannot start the Kaizen app: set ${missing.join(", ")} (see README, "Run the GitHub App")`,
    );
  const baseUrl = env.GITHUB_API_URL ?? "https://api.github.com";
  const probot = new Probot({
    appId: env.APP_ID!,
    privateKey,
    secret: env.WEBHOOK_SECRET!,
    baseUrl,
    Octokit: appOctokitClass(ProbotOctokit),
  });
  const { server } = await createAppServer({
    probot,
    userClient: (token) => new Octokit({ auth: token, baseUrl }),
    log: (m) => probot.log.warn(m),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  probot.log.info(`Kaizen app listening on port ${port}`);
  return { server };
}

/** The environment, with what `.env` sets and the environment does not (the environment wins). */
function withDotEnv(env: NodeJS.ProcessEnv, cwd: string): NodeJS.ProcessEnv {
  const file = path.join(cwd, ".env");
  if (!existsSync(file)) return env;
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
  } catch (error) {
    throw new KaizenError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return { ...parsed, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
}

/** The PEM, from PRIVATE_KEY (a one-line value may carry its newlines as `\n`) or PRIVATE_KEY_PATH. */
function readPrivateKey(env: NodeJS.ProcessEnv): string | undefined {
  const key =
    env.PRIVATE_KEY ?? (env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : undefined);
  return key && !key.includes("\n") ? key.replace(/\\n/g, "\n") : key;
}

/** Serves the registration page until GitHub's redirect has been exchanged; returns the credentials. */
async function registerApp(
  env: NodeJS.ProcessEnv,
  where: { cwd: string; port: number; host: string; log: (line: string) => void },
): Promise<{ credentials: Record<string, string>; port: number }> {
  const setup = await startSetupServer({ env, dir: where.cwd, ...where });
  where.log(
    [
      "",
      "Kaizen has no GitHub App yet (no APP_ID in the environment or in .env).",
      `Register one from app.yml: open ${setup.url}`,
      `(on a server, the same path and token at its public address). Webhooks will go to ${
        env.WEBHOOK_PROXY_URL ?? "<the address you open it at>/api/github/webhooks"
      }.`,
      "",
    ].join("\n"),
  );
  const credentials = await setup.registered;
  // The app takes over the setup server's port (the one the person and GitHub already know).
  const port = (setup.server.address() as AddressInfo).port;
  await setup.close();
  where.log(`Registered. The app starts now; install it on your repositories from GitHub's page.`);
  return { credentials: { ...credentials }, port };
}
