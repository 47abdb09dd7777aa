/**
 * Git objects named by their sha never change: a tree or a commit this client has read (or
 * created) is answered from memory when any part of Kaizen asks for it again. The store's
 * backend and the pull-request code share one client, so the base commit the store listed is
 * not listed a second time to open the pull request.
 */
import type { Octokit } from "octokit";

const SHA = /^[0-9a-f]{40}$/;
const TREE = "/repos/{owner}/{repo}/git/trees/{tree_sha}";
const COMMIT = "/repos/{owner}/{repo}/git/commits/{commit_sha}";
/** A recursive listing of more entries than this is not kept (a monorepo's is up to 7 MB). */
const MAX_KEPT_TREE_ENTRIES = 20_000;

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
 * const objects = installGitObjectCache(octokit);
 * await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha }); // once
 */
export function installGitObjectCache(octokit: Pick<Octokit, "hook">, maxEntries = 2_000) {
  const entries = new Map<string, unknown>();
  const keep = (key: string, response: unknown) => {
    const tree = (response as { data?: { tree?: unknown[]; truncated?: boolean } }).data;
    if (tree?.truncated || (tree?.tree?.length ?? 0) > MAX_KEPT_TREE_ENTRIES) return;
    entries.delete(key);
    entries.set(key, response);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };
  octokit.hook.wrap("request", async (request, options) => {
    const key = keyOf(options);
    if (key !== null) {
      const known = entries.get(key);
      if (known !== undefined) return known as Awaited<ReturnType<typeof request>>;
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
  return {
    get size(): number {
      return entries.size;
    },
  };
}
