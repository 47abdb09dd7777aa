/**
 * Octokit's paginate for any client that can send a request: the app's, the Action's and the
 * tests' clients all read every page of a list the same way (GitHub serves 30 items a page
 * unless asked for up to 100, and a `Link` header to the next page).
 */
import { composePaginateRest } from "@octokit/plugin-paginate-rest";
import type { Octokit } from "octokit";

/**
 * @example
 * const issues = await paginate(octokit)("GET /repos/{owner}/{repo}/issues", { owner, repo, per_page: 100 });
 */
export function paginate(octokit: Pick<Octokit, "request">): Octokit["paginate"] {
  // composePaginateRest only calls `octokit.request`; its types want the whole core client.
  return ((route: never, parameters: never) =>
    composePaginateRest(octokit as never, route, parameters)) as unknown as Octokit["paginate"];
}
