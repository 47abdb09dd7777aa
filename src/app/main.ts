/**
 * Starts the GitHub App from its environment: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH),
 * WEBHOOK_SECRET, PORT (3000), HOST, and GITHUB_API_URL for GitHub Enterprise Server.
 */
import { readFileSync } from "node:fs";
import { Octokit } from "octokit";
import { Probot, ProbotOctokit } from "probot";
import { appOctokitClass } from "../github/client.js";
import { KaizenError } from "../core/errors.js";
import { createAppServer } from "./server.js";

export async function startApp(env: NodeJS.ProcessEnv): Promise<void> {
  const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => !env[name]);
  const privateKey =
    env.PRIVATE_KEY ?? (env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : undefined);
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
  const port = Number(env.PORT ?? 3000);
  server.listen(port, env.HOST ?? "0.0.0.0", () => probot.log.info(`Kaizen app listening on port ${port}`));
}
