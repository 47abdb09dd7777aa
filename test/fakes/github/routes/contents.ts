/** The Contents API: one file per request, each write a commit guarded by the file's blob sha. */
import type { FakeGitHub, RepoState } from "../server.js";
import { gitCommitJson } from "./git.js";
import { apiUrl, conflict, htmlUrl, inRepo, notFound, unprocessable } from "./common.js";

function headOf(repo: RepoState, ref: string | null): string | undefined {
  const name = ref ?? repo.defaultBranch;
  if (/^[0-9a-f]{40}$/.test(name) && repo.objects.get(name)?.type === "commit") return name;
  return repo.refs.get(name.startsWith("refs/") ? name : `refs/heads/${name}`);
}

function fileJson(repo: RepoState, path: string, sha: string, size: number, content?: string) {
  return {
    type: "file",
    encoding: "base64",
    size,
    name: path.split("/").pop(),
    path,
    ...(content !== undefined ? { content } : {}),
    sha,
    url: apiUrl(repo, `/contents/${path}`),
    git_url: apiUrl(repo, `/git/blobs/${sha}`),
    html_url: htmlUrl(repo, `/blob/${repo.defaultBranch}/${path}`),
    download_url: `https://raw.githubusercontent.com/${repo.fullName}/${repo.defaultBranch}/${path}`,
    _links: {
      self: apiUrl(repo, `/contents/${path}`),
      git: apiUrl(repo, `/git/blobs/${sha}`),
      html: htmlUrl(repo, `/blob/${repo.defaultBranch}/${path}`),
    },
  };
}

export function registerContentsRoutes(github: FakeGitHub): void {
  github.route(
    "GET",
    "/repos/{owner}/{repo}/contents/{path}",
    inRepo(({ params, query }, repo) => {
      const head = headOf(repo, query.get("ref"));
      const commit = head ? repo.objects.get(head) : undefined;
      if (commit?.type !== "commit") return notFound();
      const path = params.path!.replace(/\/$/, "");
      const files = repo.objects.flatten(commit.tree, true);
      const entry = files.get(path);
      if (entry?.type === "blob") {
        const blob = repo.objects.get(entry.sha);
        if (blob?.type !== "blob") return notFound();
        return {
          status: 200,
          body: fileJson(repo, path, entry.sha, blob.content.length, blob.content.toString("base64")),
        };
      }
      const children = [...files].filter(
        ([p]) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes("/"),
      );
      if (children.length === 0) return notFound();
      return {
        status: 200,
        body: children.map(([p, e]) => {
          const object = repo.objects.get(e.sha);
          return {
            ...fileJson(repo, p, e.sha, object?.type === "blob" ? object.content.length : 0),
            type: e.type === "tree" ? "dir" : "file",
          };
        }),
      };
    }),
  );

  github.route(
    "PUT",
    "/repos/{owner}/{repo}/contents/{path}",
    inRepo(({ params, body }, repo, gh) => {
      if (typeof body.message !== "string" || typeof body.content !== "string")
        return unprocessable('Invalid request.\n\n"message" and "content" are required.');
      const branch = body.branch ?? repo.defaultBranch;
      const head = repo.refs.get(`refs/heads/${branch}`);
      const commit = head ? repo.objects.get(head) : undefined;
      const existing =
        commit?.type === "commit" ? repo.objects.flatten(commit.tree).get(params.path!) : undefined;
      // Updating needs the current blob's sha; a stale one means someone wrote in between.
      if (existing && body.sha === undefined)
        return unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
      if (existing && body.sha !== existing.sha) return conflict(`${params.path} does not match ${body.sha}`);
      if (repo.protectedBranches.has(branch))
        return {
          status: 409,
          body: {
            message: "Repository rule violations found",
            documentation_url: "https://docs.github.com/rest",
          },
        };
      const sha = gh.commitFiles(
        repo.fullName,
        branch,
        { [params.path!]: Buffer.from(body.content, "base64").toString("utf8") },
        body.message,
        {
          name: body.committer?.name ?? "kaizen[bot]",
          email: body.committer?.email ?? "kaizen[bot]@users.noreply.github.com",
          date: new Date().toISOString(),
        },
      );
      const blobSha = repo.objects.putBlob(Buffer.from(body.content, "base64"));
      return {
        status: existing ? 200 : 201,
        body: {
          content: fileJson(repo, params.path!, blobSha, Buffer.from(body.content, "base64").length),
          commit: gitCommitJson(repo, sha),
        },
      };
    }),
  );
}
