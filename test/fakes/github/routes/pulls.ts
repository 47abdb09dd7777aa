/** Pull requests: open, list (by head and state), update, merge state, changed files. */
import { exampleResponse } from "../openapi.js";
import type { FakeGitHub, PullRequest, RepoState } from "../server.js";
import { apiUrl, htmlUrl, inRepo, LIMITS, notFound, paginate, tooLong, unprocessable } from "./common.js";

export function pullJson(
  repo: RepoState,
  pr: PullRequest,
  template = "GET /repos/{owner}/{repo}/pulls/{pull_number}",
) {
  const [method, path] = template.split(" ") as [string, string];
  const body = exampleResponse(method, path, method === "POST" ? 201 : 200);
  const side = (ref: string, fork?: string) => {
    const [owner, name] = (fork ?? repo.fullName).split("/") as [string, string];
    return {
      ...(body.head as object),
      label: `${owner}:${ref}`,
      ref,
      // A fork's branch lives in the fork: the same name here is another branch.
      sha: (fork ? undefined : repo.refs.get(`refs/heads/${ref}`)) ?? "0".repeat(40),
      repo: {
        ...((body.head as { repo: object }).repo ?? {}),
        id: fork ? repo.id + 500_000 : repo.id,
        name,
        full_name: `${owner}/${name}`,
        fork: fork !== undefined,
        owner: { ...((body.head as { repo: { owner: object } }).repo?.owner ?? {}), login: owner },
      },
    };
  };
  return Object.assign(body, {
    id: repo.id * 1000 + pr.number,
    number: pr.number,
    title: pr.title,
    body: pr.body,
    state: pr.state,
    merged: pr.merged,
    merged_at: pr.merged ? pr.updated_at : null,
    merge_commit_sha: pr.merge_commit_sha ?? null,
    closed_at: pr.state === "closed" ? pr.updated_at : null,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    url: apiUrl(repo, `/pulls/${pr.number}`),
    html_url: htmlUrl(repo, `/pull/${pr.number}`),
    head: side(pr.head, pr.headRepo),
    base: side(pr.base),
  });
}

export function registerPullRoutes(github: FakeGitHub): void {
  github.route(
    "POST",
    "/repos/{owner}/{repo}/pulls",
    inRepo(({ body, headers }, repo) => {
      // The repository setting "Allow GitHub Actions to create and approve pull requests", off by
      // default on new repositories and organizations: a workflow's own token is refused.
      const token = String(headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
      if (github.actionsTokens.has(token) && !repo.actionsMayCreatePullRequests)
        return {
          status: 403,
          body: {
            message: "GitHub Actions is not permitted to create or approve pull requests.",
            documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
            status: "403",
          },
        };
      if (typeof body.body === "string" && body.body.length > LIMITS.issueBody)
        return tooLong("PullRequest", "body", LIMITS.issueBody);
      const head = String(body.head ?? "").replace(`${repo.owner}:`, "");
      if (!repo.refs.has(`refs/heads/${head}`))
        return unprocessable(`Validation Failed: head ${head} does not exist`);
      if (!repo.refs.has(`refs/heads/${body.base}`))
        return unprocessable(`Validation Failed: base ${body.base} does not exist`);
      if (repo.pulls.some((p) => p.head === head && p.state === "open"))
        return unprocessable(`A pull request already exists for ${repo.owner}:${head}.`);
      const now = new Date().toISOString();
      const pr: PullRequest = {
        number: repo.nextNumber++,
        title: body.title,
        body: body.body ?? null,
        head,
        base: body.base,
        state: "open",
        merged: false,
        created_at: now,
        updated_at: now,
      };
      repo.pulls.push(pr);
      return { status: 201, body: pullJson(repo, pr, "POST /repos/{owner}/{repo}/pulls") };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/pulls",
    inRepo((request, repo) => {
      const { query } = request;
      const state = query.get("state") ?? "open";
      // `head` is `owner:branch`: a fork's branch of the same name is another head.
      const headQuery = query.get("head");
      const pulls = repo.pulls.filter((p) => {
        if (state !== "all" && p.state !== state) return false;
        if (headQuery === null) return true;
        const owner = (p.headRepo ?? repo.fullName).split("/")[0];
        return headQuery === `${owner}:${p.head}` || (!headQuery.includes(":") && headQuery === p.head);
      });
      const { page, headers } = paginate(request, [...pulls].reverse());
      return {
        status: 200,
        body: page.map((p) => pullJson(repo, p, "GET /repos/{owner}/{repo}/pulls")),
        headers,
      };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/pulls/{pull_number}",
    inRepo(({ params }, repo) => {
      const pr = repo.pulls.find((p) => p.number === Number(params.pull_number));
      return pr ? { status: 200, body: pullJson(repo, pr) } : notFound();
    }),
  );

  github.route(
    "PATCH",
    "/repos/{owner}/{repo}/pulls/{pull_number}",
    inRepo(({ params, body }, repo) => {
      const pr = repo.pulls.find((p) => p.number === Number(params.pull_number));
      if (!pr) return notFound();
      if (typeof body.body === "string" && body.body.length > LIMITS.issueBody)
        return tooLong("PullRequest", "body", LIMITS.issueBody);
      if (typeof body.title === "string") pr.title = body.title;
      if (typeof body.body === "string") pr.body = body.body;
      if (body.state === "open" || body.state === "closed") pr.state = body.state;
      pr.updated_at = new Date().toISOString();
      return { status: 200, body: pullJson(repo, pr, "PATCH /repos/{owner}/{repo}/pulls/{pull_number}") };
    }),
  );

  github.route(
    "PUT",
    "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
    inRepo(({ params, body }, repo) => {
      const pr = repo.pulls.find((p) => p.number === Number(params.pull_number));
      if (!pr) return notFound();
      // GitHub's answers: 405 for a pull request it will not merge, 409 when `sha` is not the head.
      const refuse = (status: number, message: string) => ({
        status,
        body: { message, documentation_url: "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request" },
      });
      if (pr.state !== "open" || pr.headRepo) return refuse(405, "Pull Request is not mergeable");
      const head = repo.refs.get(`refs/heads/${pr.head}`)!;
      if (body.sha !== undefined && body.sha !== head)
        return refuse(409, "Head branch was modified. Review and try the merge again.");
      // The fake merges by fast-forward only: a base that moved on would need a real merge.
      if (!repo.objects.isAncestor(repo.refs.get(`refs/heads/${pr.base}`)!, head))
        return refuse(405, "Pull Request is not mergeable");
      closePullRequest(github, repo.fullName, pr.number, true);
      return { status: 200, body: { sha: head, merged: true, message: "Pull Request successfully merged" } };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/pulls/{pull_number}/files",
    inRepo((request, repo) => {
      const pr = repo.pulls.find((p) => p.number === Number(request.params.pull_number));
      if (!pr) return notFound();
      const filesAt = (branch: string) => {
        const commit = repo.objects.get(repo.refs.get(`refs/heads/${branch}`) ?? "");
        return commit?.type === "commit" ? repo.objects.flatten(commit.tree) : new Map();
      };
      const base = filesAt(pr.base);
      const head = filesAt(pr.head);
      const paths = [...new Set([...base.keys(), ...head.keys()])]
        .filter((p) => base.get(p)?.sha !== head.get(p)?.sha)
        .sort()
        // GitHub lists at most 3,000 files of a pull request, a page at a time.
        .slice(0, 3_000);
      const { page, headers } = paginate(request, paths);
      return {
        status: 200,
        headers,
        body: page.map((filename) => ({
          sha: head.get(filename)?.sha ?? base.get(filename)!.sha,
          filename,
          status: !base.has(filename) ? "added" : !head.has(filename) ? "removed" : "modified",
          additions: 1,
          deletions: base.has(filename) ? 1 : 0,
          changes: base.has(filename) ? 2 : 1,
          blob_url: htmlUrl(repo, `/blob/${pr.head}/${filename}`),
          raw_url: htmlUrl(repo, `/raw/${pr.head}/${filename}`),
          contents_url: apiUrl(repo, `/contents/${filename}?ref=${pr.head}`),
        })),
      };
    }),
  );
}

/** Merges or closes a pull request as a person would in the UI (no webhook is sent). */
export function closePullRequest(
  github: FakeGitHub,
  fullName: string,
  number: number,
  merged: boolean,
): PullRequest {
  const repo = github.repo(fullName);
  const pr = repo.pulls.find((p) => p.number === number);
  if (!pr) throw new Error(`no pull request #${number} in ${fullName}`);
  pr.state = "closed";
  pr.merged = merged;
  pr.updated_at = new Date().toISOString();
  if (merged) {
    const head = repo.refs.get(`refs/heads/${pr.head}`)!;
    repo.refs.set(`refs/heads/${pr.base}`, head);
    pr.merge_commit_sha = head;
  }
  return pr;
}
