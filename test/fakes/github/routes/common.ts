/** Pieces every route module uses: repository lookup, GitHub's error bodies, URLs. */
import type { FakeGitHub, FakeRequest, FakeResponse, RepoState } from "../server.js";

export type RepoHandler = (
  request: FakeRequest,
  repo: RepoState,
  github: FakeGitHub,
) => FakeResponse | Promise<FakeResponse>;

/** Resolves `{owner}/{repo}` first; GitHub answers 404 for a repository it does not have (or hides). */
export function inRepo(handler: RepoHandler) {
  return (request: FakeRequest, github: FakeGitHub): FakeResponse | Promise<FakeResponse> => {
    const repo = github.repos.get(`${request.params.owner}/${request.params.repo}`);
    return repo ? handler(request, repo, github) : notFound();
  };
}

export const DOCS = "https://docs.github.com/rest";
export const notFound = (): FakeResponse => ({
  status: 404,
  body: { message: "Not Found", documentation_url: DOCS },
});
export const unprocessable = (message: string): FakeResponse => ({
  status: 422,
  body: { message, documentation_url: DOCS },
});
export const conflict = (message: string): FakeResponse => ({
  status: 409,
  body: { message, documentation_url: DOCS },
});

export const apiUrl = (repo: RepoState, path: string) =>
  `https://api.github.com/repos/${repo.fullName}${path}`;
export const htmlUrl = (repo: RepoState, path: string) => `https://github.com/${repo.fullName}${path}`;
export const nodeId = (kind: string, id: string | number) => Buffer.from(`${kind}:${id}`).toString("base64");
