/** Repositories and collaborator permissions. */
import { exampleResponse } from "../openapi.js";
import type { FakeGitHub } from "../server.js";
import { apiUrl, htmlUrl, inRepo, notFound } from "./common.js";

export function registerRepoRoutes(github: FakeGitHub): void {
  github.route(
    "GET",
    "/repos/{owner}/{repo}",
    inRepo((_, repo) => {
      const body = exampleResponse("GET", "/repos/{owner}/{repo}", 200);
      Object.assign(body, {
        id: repo.id,
        name: repo.name,
        full_name: repo.fullName,
        default_branch: repo.defaultBranch,
        url: apiUrl(repo, ""),
        html_url: htmlUrl(repo, ""),
        owner: { ...(body.owner as object), login: repo.owner },
        private: true,
      });
      return { status: 200, body };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/collaborators/{username}/permission",
    inRepo(({ params }, repo) => {
      const permission = repo.permissions.get(params.username!);
      if (!permission) return notFound();
      const body = exampleResponse("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission", 200);
      Object.assign(body, {
        permission,
        role_name: permission,
        user: { ...(body.user as object), login: params.username },
      });
      return { status: 200, body };
    }),
  );
}
