/** Issues and their comments (the dashboard issue, pull request comments). */
import { exampleResponse } from "../openapi.js";
import type { FakeGitHub, Issue, IssueComment, RepoState } from "../server.js";
import { apiUrl, htmlUrl, inRepo, LIMITS, notFound, paginate, tooLong, unprocessable } from "./common.js";

function issueJson(repo: RepoState, issue: Issue, method: string, template: string, status: number) {
  return Object.assign(exampleResponse(method, template, status), {
    id: repo.id * 1000 + issue.number,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name) => ({ name })),
    user: {
      ...((exampleResponse(method, template, status).user as object | null) ?? {}),
      login: issue.user,
      type: issue.user.endsWith("[bot]") ? "Bot" : "User",
    },
    url: apiUrl(repo, `/issues/${issue.number}`),
    html_url: htmlUrl(repo, `/issues/${issue.number}`),
    pull_request: undefined,
  });
}

function commentJson(
  repo: RepoState,
  comment: IssueComment,
  method: string,
  template: string,
  status: number,
) {
  return Object.assign(exampleResponse(method, template, status), {
    id: comment.id,
    body: comment.body,
    created_at: comment.created_at,
    updated_at: comment.created_at,
    url: apiUrl(repo, `/issues/comments/${comment.id}`),
    html_url: htmlUrl(repo, `/issues/${comment.issue_number}#issuecomment-${comment.id}`),
    issue_url: apiUrl(repo, `/issues/${comment.issue_number}`),
  });
}

export function registerIssueRoutes(github: FakeGitHub): void {
  github.route(
    "POST",
    "/repos/{owner}/{repo}/issues",
    inRepo(({ body, headers }, repo, gh) => {
      if (typeof body.title !== "string" || body.title === "")
        return unprocessable("Validation Failed: title is required");
      if (typeof body.body === "string" && body.body.length > LIMITS.issueBody)
        return tooLong("Issue", "body", LIMITS.issueBody);
      const issue: Issue = {
        number: repo.nextNumber++,
        title: body.title,
        user: gh.callerLogin(headers),
        body: body.body ?? null,
        state: "open",
        labels: (body.labels ?? []).map(String),
      };
      repo.issues.push(issue);
      return { status: 201, body: issueJson(repo, issue, "POST", "/repos/{owner}/{repo}/issues", 201) };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/issues",
    inRepo((request, repo) => {
      const { query } = request;
      const state = query.get("state") ?? "open";
      const labels = query.get("labels")?.split(",").filter(Boolean) ?? [];
      const creator = query.get("creator");
      const issues = repo.issues.filter(
        (i) =>
          (state === "all" || i.state === state) &&
          labels.every((l) => i.labels.includes(l)) &&
          (creator === null || i.user === creator),
      );
      // GitHub lists newest first by default.
      const { page, headers } = paginate(request, [...issues].reverse());
      return {
        status: 200,
        body: page.map((i) => issueJson(repo, i, "GET", "/repos/{owner}/{repo}/issues", 200)),
        headers,
      };
    }),
  );

  github.route(
    "PATCH",
    "/repos/{owner}/{repo}/issues/{issue_number}",
    inRepo(({ params, body }, repo) => {
      const issue = repo.issues.find((i) => i.number === Number(params.issue_number));
      if (!issue) return notFound();
      if (typeof body.body === "string" && body.body.length > LIMITS.issueBody)
        return tooLong("Issue", "body", LIMITS.issueBody);
      if (typeof body.title === "string") issue.title = body.title;
      if (typeof body.body === "string") issue.body = body.body;
      if (body.state === "open" || body.state === "closed") issue.state = body.state;
      return {
        status: 200,
        body: issueJson(repo, issue, "PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", 200),
      };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    inRepo((request, repo) => {
      const comments = repo.comments.filter((c) => c.issue_number === Number(request.params.issue_number));
      const { page, headers } = paginate(request, comments);
      return {
        status: 200,
        body: page.map((c) =>
          commentJson(repo, c, "GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 200),
        ),
        headers,
      };
    }),
  );

  github.route(
    "POST",
    "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    inRepo(({ params, body }, repo, gh) => {
      const number = Number(params.issue_number);
      if (!repo.issues.some((i) => i.number === number) && !repo.pulls.some((p) => p.number === number))
        return notFound();
      if (typeof body.body === "string" && body.body.length > LIMITS.issueBody)
        return tooLong("IssueComment", "body", LIMITS.issueBody);
      const comment: IssueComment = {
        id: gh.nextId(),
        issue_number: number,
        body: String(body.body ?? ""),
        created_at: new Date().toISOString(),
      };
      repo.comments.push(comment);
      return {
        status: 201,
        body: commentJson(repo, comment, "POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", 201),
      };
    }),
  );
}
