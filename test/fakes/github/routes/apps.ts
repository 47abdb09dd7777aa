/** GitHub App authentication: installation tokens, as Probot asks for them. */
import type { FakeGitHub } from "../server.js";
import { exampleResponse } from "../openapi.js";
import { inRepo, paginate } from "./common.js";

export function registerAppRoutes(github: FakeGitHub): void {
  github.route("POST", "/app/installations/{installation_id}/access_tokens", ({ params }) => {
    const body = exampleResponse("POST", "/app/installations/{installation_id}/access_tokens", 201);
    Object.assign(body, {
      token: `ghs_installation_${params.installation_id}`,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    return { status: 201, body };
  });

  github.route(
    "GET",
    "/repos/{owner}/{repo}/installation",
    inRepo((_, repo) => {
      const body = exampleResponse("GET", "/repos/{owner}/{repo}/installation", 200);
      Object.assign(body, { id: repo.installationId });
      return { status: 200, body };
    }),
  );

  github.route("GET", "/app/installations", (request) => {
    const template = exampleResponse("GET", "/app/installations", 200);
    const ids = [...new Set([...github.repos.values()].map((r) => r.installationId))];
    const { page, headers } = paginate(request, ids);
    return { status: 200, body: page.map((id) => ({ ...structuredClone(template), id })), headers };
  });

  github.route("GET", "/installation/repositories", (request) => {
    const { headers } = request;
    const installation = Number(/ghs_installation_(\d+)/.exec(String(headers.authorization))?.[1]);
    const example = exampleResponse("GET", "/installation/repositories", 200);
    const repoTemplate = (example.repositories as Record<string, unknown>[])[0]!;
    const repositories = [...github.repos.values()]
      .filter((r) => r.installationId === installation)
      .map((r) => ({
        ...structuredClone(repoTemplate),
        id: r.id,
        name: r.name,
        full_name: r.fullName,
        default_branch: r.defaultBranch,
        owner: { ...(repoTemplate.owner as object), login: r.owner },
      }));
    const { page, headers: link } = paginate(request, repositories);
    return { status: 200, body: { total_count: repositories.length, repositories: page }, headers: link };
  });

  github.route("GET", "/user", ({ headers }) => {
    const token = String(headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
    const login = github.userTokens.get(token);
    if (!login)
      return {
        status: 401,
        body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
      };
    const body = exampleResponse("GET", "/user", 200);
    Object.assign(body, { login });
    return { status: 200, body };
  });
}
