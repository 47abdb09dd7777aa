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

/** GitHub's body limits, stated in its docs' prose rather than its schema. */
export const LIMITS = {
  /** Pull request, issue and comment bodies. */
  issueBody: 65_536,
  /** A check run's `output.summary` and `output.text`. */
  checkRunText: 65_535,
  /** Annotations in one check-run request; more go in later updates. */
  annotationsPerRequest: 50,
};

/** GitHub's answer to a field over its limit. */
export function tooLong(resource: string, field: string, max: number): FakeResponse {
  return {
    status: 422,
    body: {
      message: "Validation Failed",
      errors: [
        {
          resource,
          code: "custom",
          field,
          message: `${field} is too long (maximum is ${max} characters)`,
        },
      ],
      documentation_url: DOCS,
    },
  };
}

/**
 * One page of a list, as GitHub serves it: `per_page` defaults to 30 and is capped at 100, `page`
 * counts from 1, and a `Link` header names the next, previous, first and last pages. A client
 * that reads only the first page sees only the first page.
 */
export function paginate<T>(
  request: FakeRequest,
  items: readonly T[],
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get("per_page") ?? 30) || 30));
  const pageNumber = Math.max(1, Number(request.query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const link = (n: number, rel: string) => {
    const url = new URL(request.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber < last) links.push(link(pageNumber + 1, "next"), link(last, "last"));
  if (pageNumber > 1) links.push(link(1, "first"), link(pageNumber - 1, "prev"));
  return { page, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}
