/** The Git Data API: blobs, trees, commits and refs, with GitHub's compare-and-swap rules. */
import type { Signature } from "../git-objects.js";
import type { FakeGitHub, RepoState } from "../server.js";
import { apiUrl, htmlUrl, inRepo, nodeId, notFound, unprocessable } from "./common.js";

const KAIZEN_APP: Signature = {
  name: "kaizen[bot]",
  email: "kaizen[bot]@users.noreply.github.com",
  date: "",
};

export function gitRefJson(repo: RepoState, ref: string, sha: string) {
  return {
    ref,
    node_id: nodeId("Ref", ref),
    url: apiUrl(repo, `/git/${ref}`),
    object: { type: "commit", sha, url: apiUrl(repo, `/git/commits/${sha}`) },
  };
}

export function gitCommitJson(repo: RepoState, sha: string) {
  const commit = repo.objects.get(sha);
  if (commit?.type !== "commit") return null;
  return {
    sha,
    node_id: nodeId("Commit", sha),
    url: apiUrl(repo, `/git/commits/${sha}`),
    html_url: htmlUrl(repo, `/commit/${sha}`),
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: apiUrl(repo, `/git/trees/${commit.tree}`) },
    message: commit.message,
    parents: commit.parents.map((p) => ({
      sha: p,
      url: apiUrl(repo, `/git/commits/${p}`),
      html_url: htmlUrl(repo, `/commit/${p}`),
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

function treeJson(repo: RepoState, sha: string, recursive: boolean, limit = Infinity) {
  const tree = repo.objects.get(sha);
  if (tree?.type !== "tree") return null;
  let entries = recursive
    ? [...repo.objects.flatten(sha, true)].map(([path, e]) => ({ ...e, path }))
    : tree.entries.map((e) => ({ ...e, path: e.name }));
  // GitHub cuts a recursive listing over its limits and says so; the caller must list the
  // subtrees one by one.
  const truncated = recursive && entries.length > limit;
  if (truncated) entries = entries.slice(0, limit);
  return {
    sha,
    url: apiUrl(repo, `/git/trees/${sha}`),
    truncated,
    tree: entries.map((e) => {
      const blob = repo.objects.get(e.sha);
      return {
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(blob?.type === "blob" ? { size: blob.content.length } : {}),
        url: apiUrl(repo, `/git/${e.type}s/${e.sha}`),
      };
    }),
  };
}

/** `heads/main` or `refs/heads/main` → `refs/heads/main`. */
const fullRef = (ref: string) => (ref.startsWith("refs/") ? ref : `refs/${ref}`);

export function registerGitRoutes(github: FakeGitHub): void {
  github.route(
    "POST",
    "/repos/{owner}/{repo}/git/blobs",
    inRepo(({ body }, repo) => {
      if (typeof body.content !== "string")
        return unprocessable('Invalid request.\n\n"content" wasn\'t supplied.');
      const sha = repo.objects.putBlob(
        Buffer.from(body.content, body.encoding === "base64" ? "base64" : "utf8"),
      );
      return { status: 201, body: { sha, url: apiUrl(repo, `/git/blobs/${sha}`) } };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/git/blobs/{file_sha}",
    inRepo(({ params }, repo) => {
      const blob = repo.objects.get(params.file_sha!);
      if (blob?.type !== "blob") return notFound();
      return {
        status: 200,
        body: {
          sha: params.file_sha,
          node_id: nodeId("Blob", params.file_sha!),
          size: blob.content.length,
          url: apiUrl(repo, `/git/blobs/${params.file_sha}`),
          content: blob.content.toString("base64"),
          encoding: "base64",
        },
      };
    }),
  );

  github.route(
    "POST",
    "/repos/{owner}/{repo}/git/trees",
    inRepo(({ body }, repo) => {
      const files = new Map<string, { mode: string; sha: string }>();
      if (body.base_tree) {
        const base = repo.objects.get(body.base_tree);
        if (base?.type !== "tree") return unprocessable("Invalid tree info");
        for (const [path, entry] of repo.objects.flatten(body.base_tree))
          files.set(path, { mode: entry.mode, sha: entry.sha });
      }
      for (const entry of body.tree ?? []) {
        if (typeof entry.path !== "string" || entry.path.startsWith("/"))
          return unprocessable(`tree.path must be a relative path, got ${JSON.stringify(entry.path)}`);
        if (entry.content !== undefined && entry.sha !== undefined)
          return unprocessable("tree entries may have either content or sha, not both");
        if (entry.sha === null) {
          // Deleting a path that is a directory removes everything below it, as GitHub does.
          for (const path of [...files.keys()])
            if (path === entry.path || path.startsWith(`${entry.path}/`)) files.delete(path);
        } else if (typeof entry.content === "string") {
          files.set(entry.path, {
            mode: entry.mode ?? "100644",
            sha: repo.objects.putBlob(Buffer.from(entry.content)),
          });
        } else {
          if (repo.objects.get(entry.sha)?.type !== "blob")
            return unprocessable(`tree.sha ${entry.sha} is not a valid blob`);
          files.set(entry.path, { mode: entry.mode ?? "100644", sha: entry.sha });
        }
      }
      const sha = repo.objects.buildTree(files);
      return { status: 201, body: treeJson(repo, sha, false) };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/git/trees/{tree_sha}",
    inRepo(({ params, query }, repo, github) => {
      let sha = params.tree_sha!;
      const object = repo.objects.get(sha) ?? repo.objects.get(repo.refs.get(fullRef(`heads/${sha}`)) ?? "");
      if (object?.type === "commit") sha = object.tree;
      const body = treeJson(repo, sha, query.has("recursive"), github.limits.treeEntries);
      return body ? { status: 200, body } : notFound();
    }),
  );

  github.route(
    "POST",
    "/repos/{owner}/{repo}/git/commits",
    inRepo(({ body }, repo) => {
      if (repo.objects.get(body.tree)?.type !== "tree") return unprocessable("Tree SHA does not exist");
      for (const parent of body.parents ?? [])
        if (repo.objects.get(parent)?.type !== "commit")
          return unprocessable("Parent SHA does not exist or is not a commit object");
      const date = new Date().toISOString();
      const author = { ...KAIZEN_APP, ...body.author, date: body.author?.date ?? date };
      const sha = repo.objects.putCommit({
        tree: body.tree,
        parents: body.parents ?? [],
        message: body.message ?? "",
        author,
        committer: { ...author, ...body.committer, date: body.committer?.date ?? date },
      });
      return { status: 201, body: gitCommitJson(repo, sha) };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/git/commits/{commit_sha}",
    inRepo(({ params }, repo) => {
      const body = gitCommitJson(repo, params.commit_sha!);
      return body ? { status: 200, body } : notFound();
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/git/ref/{ref}",
    inRepo(({ params }, repo) => {
      const ref = fullRef(params.ref!);
      const sha = repo.refs.get(ref);
      return sha ? { status: 200, body: gitRefJson(repo, ref, sha) } : notFound();
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/git/matching-refs/{ref}",
    inRepo(({ params }, repo) => {
      const prefix = fullRef(params.ref!);
      return {
        status: 200,
        body: [...repo.refs]
          .filter(([ref]) => ref.startsWith(prefix))
          .sort()
          .map(([ref, sha]) => gitRefJson(repo, ref, sha)),
      };
    }),
  );

  github.route(
    "POST",
    "/repos/{owner}/{repo}/git/refs",
    inRepo(({ body }, repo) => {
      if (typeof body.ref !== "string" || !body.ref.startsWith("refs/") || body.ref.split("/").length < 3)
        return unprocessable(`${body.ref} is not a valid ref name.`);
      if (repo.refs.has(body.ref)) return unprocessable("Reference already exists");
      if (repo.objects.get(body.sha)?.type !== "commit") return unprocessable("Object does not exist");
      repo.refs.set(body.ref, body.sha);
      return { status: 201, body: gitRefJson(repo, body.ref, body.sha) };
    }),
  );

  github.route(
    "PATCH",
    "/repos/{owner}/{repo}/git/refs/{ref}",
    inRepo(({ params, body }, repo) => {
      const ref = fullRef(params.ref!);
      const current = repo.refs.get(ref);
      if (!current) return unprocessable("Reference does not exist");
      if (repo.objects.get(body.sha)?.type !== "commit") return unprocessable("Object does not exist");
      // Without force, GitHub refuses any update whose new commit does not descend from the
      // current one: for writers that only ever append, that is a compare-and-swap.
      if (!body.force && !repo.objects.isAncestor(current, body.sha))
        return unprocessable("Update is not a fast forward");
      const branch = ref.replace("refs/heads/", "");
      if (repo.protectedBranches.has(branch))
        return unprocessable(`Protected branch update failed for ${ref}.`);
      repo.refs.set(ref, body.sha);
      return { status: 200, body: gitRefJson(repo, ref, body.sha) };
    }),
  );

  github.route(
    "DELETE",
    "/repos/{owner}/{repo}/git/refs/{ref}",
    inRepo(({ params }, repo) => {
      const ref = fullRef(params.ref!);
      if (!repo.refs.delete(ref)) return unprocessable("Reference does not exist");
      return { status: 204 };
    }),
  );
}
