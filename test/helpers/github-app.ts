/**
 * The GitHub App's server against the fake GitHub, listening on a free port: one instance of
 * the app, as a deployment runs it. Tests that need two instances of one repository start two.
 */
import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Octokit } from "octokit";
import { Probot, ProbotOctokit } from "probot";
import { createAppServer, type AppServer, type AppServerOptions } from "../../src/app/server.js";
import type { FakeGitHub } from "../fakes/github/index.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export interface RunningApp {
  app: AppServer;
  url: string;
  close(): Promise<void>;
}

/** Octokit's retry and throttling are off: the tests see GitHub's answers as they come. */
function clientOptions(github: FakeGitHub) {
  return { baseUrl: github.baseUrl, retry: { enabled: false }, throttle: { enabled: false } };
}

export async function startAppOnFakeGitHub(
  github: FakeGitHub,
  options: Partial<Omit<AppServerOptions, "probot" | "userClient">> = {},
): Promise<RunningApp> {
  const Octo = ProbotOctokit.defaults((defaults: Record<string, unknown>) => ({
    ...defaults,
    ...clientOptions(github),
  }));
  const probot = new Probot({ appId: 1, privateKey, secret: "s", logLevel: "fatal", Octokit: Octo });
  const app = await createAppServer({
    probot,
    minCommitIntervalMs: 0,
    ...options,
    userClient: (token) => new Octokit({ auth: token, ...clientOptions(github) }),
  });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  return {
    app,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => app.server.close(() => resolve())),
  };
}
