/** GitHub App authentication: installation tokens, as Probot asks for them. */
import type { FakeGitHub } from "../server.js";
import { exampleResponse } from "../openapi.js";
import { inRepo } from "./common.js";

export function registerAppRoutes(github: FakeGitHub): void {
  github.route("POST", "/app/installations/{installation_id}/access_tokens", ({ params }) => {
    const body = exampleResponse("POST", "/app/installations/{installation_id}/access_tokens", 201);
    Object.assign(body, { token: `ghs_installation_${params.installation_id}`, expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    return { status: 201, body };
  });

  github.route("GET", "/repos/{owner}/{repo}/installation", inRepo((_, repo) => {
    const body = exampleResponse("GET", "/repos/{owner}/{repo}/installation", 200);
    Object.assign(body, { id: repo.installationId });
    return { status: 200, body };
  }));

  github.route("GET", "/user", ({ headers }) => {
    const token = String(headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
    const login = github.userTokens.get(token);
    if (!login) return { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } };
    const body = exampleResponse("GET", "/user", 200);
    Object.assign(body, { login });
    return { status: 200, body };
  });
}
