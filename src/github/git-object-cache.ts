/**
 * Git objects named by their sha never change: a tree or a commit this client has read (or
 * created) is answered from memory when any part of Kaizen asks for it again. The store's
 * backend and the pull-request code share one client, so the base commit the store listed is
 * not listed a second time to open the pull request. The answers are kept in the client's
 * ObjectCache (src/store/object-cache.ts), the one the store's backend shares.
 */
import type { Octokit } from "octokit";
import { ENTRY_BYTES, ObjectCache } from "../store/object-cache.js";

const SHA = /^[0-9a-f]{40}$/;
const TREE = "/repos/{owner}/{repo}/git/trees/{tree_sha}";
const COMMIT = "/repos/{owner}/{repo}/git/commits/{commit_sha}";

type Options = Record<string, unknown> & { method: string; url: string };

function keyOf(options: Options): string | null {
  if (options.method !== "GET") return null;
  const sha = options.url === TREE ? options.tree_sha : options.url === COMMIT ? options.commit_sha : null;
  if (typeof sha !== "string" || !SHA.test(sha)) return null;
  const recursive = options.url === TREE && options.recursive !== undefined ? "?recursive" : "";
  return `${String(options.owner).toLowerCase()}/${String(options.repo).toLowerCase()} ${options.url} ${sha}${recursive}`;
}

/**
 * @example
 * const objects = installGitObjectCache(octokit, new ObjectCache());
 * await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha }); // once
 */
export function installGitObjectCache(
  octokit: Pick<Octokit, "hook">,
  objects = new ObjectCache(),
): ObjectCache {
  const keep = (key: string, response: unknown) => {
    const tree = (response as { data?: { tree?: unknown[]; truncated?: boolean } }).data;
    // A cut listing is not the tree: whoever reads it again lists it one directory at a time.
    if (tree?.truncated) return;
    objects.set("response", key, response, ENTRY_BYTES * (1 + (tree?.tree?.length ?? 0)));
  };
  octokit.hook.wrap("request", async (request, options) => {
    const key = keyOf(options);
    if (key !== null) {
      const known = objects.get<Awaited<ReturnType<typeof request>>>("response", key);
      if (known !== undefined) return known;
    }
    const response = await request(options);
    if (key !== null) keep(key, response);
    else if (
      options.method === "POST" &&
      (options.url === "/repos/{owner}/{repo}/git/trees" ||
        options.url === "/repos/{owner}/{repo}/git/commits")
    ) {
      // What GitHub answers to a creation is what a read of the new object would answer.
      const sha = (response.data as { sha?: unknown }).sha;
      const read = options.url.endsWith("/trees")
        ? { ...options, method: "GET", url: TREE, tree_sha: sha }
        : { ...options, method: "GET", url: COMMIT, commit_sha: sha };
      const created = keyOf(read);
      if (created !== null) keep(created, { ...response, status: 200 });
    }
    return response;
  });
  return objects;
}
