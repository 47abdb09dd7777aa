/** Check runs: created on a commit, updated (annotations are added, as on GitHub), listed. */
import { exampleResponse } from "../openapi.js";
import type { CheckRun, FakeGitHub, RepoState } from "../server.js";
import type { FakeResponse } from "../server.js";
import { apiUrl, htmlUrl, inRepo, LIMITS, notFound, paginate, tooLong, unprocessable } from "./common.js";

/** GitHub's prose limits on a check run's output, checked on create and update alike. */
function outputProblem(
  output: { summary?: unknown; text?: unknown; annotations?: unknown[] } | undefined,
): FakeResponse | null {
  if (!output) return null;
  for (const field of ["summary", "text"] as const) {
    const value = output[field];
    if (typeof value === "string" && value.length > LIMITS.checkRunText)
      return tooLong("CheckRun", `output.${field}`, LIMITS.checkRunText);
  }
  if ((output.annotations?.length ?? 0) > LIMITS.annotationsPerRequest)
    return unprocessable(
      `Only ${LIMITS.annotationsPerRequest} annotations are allowed per request; send the rest in updates`,
    );
  return null;
}

function checkRunJson(repo: RepoState, run: CheckRun, method: string, template: string, status: number) {
  const body = exampleResponse(method, template, status);
  const example = ("check_runs" in body ? (body.check_runs as object[])[0] : body) as Record<string, unknown>;
  return Object.assign(structuredClone(example), {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    url: apiUrl(repo, `/check-runs/${run.id}`),
    html_url: htmlUrl(repo, `/runs/${run.id}`),
    output: {
      ...(example.output as object),
      title: run.output.title,
      summary: run.output.summary,
      annotations_count: run.output.annotations.length,
      annotations_url: apiUrl(repo, `/check-runs/${run.id}/annotations`),
    },
  });
}

export function registerCheckRoutes(github: FakeGitHub): void {
  github.route(
    "POST",
    "/repos/{owner}/{repo}/check-runs",
    inRepo(({ body }, repo, gh) => {
      const refused = outputProblem(body.output);
      if (refused) return refused;
      const now = new Date().toISOString();
      const run: CheckRun = {
        id: gh.nextId(),
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? (body.conclusion ? "completed" : "queued"),
        conclusion: body.conclusion ?? null,
        output: {
          title: body.output?.title ?? null,
          summary: body.output?.summary ?? null,
          annotations: [...(body.output?.annotations ?? [])],
        },
        started_at: body.started_at ?? now,
        completed_at: body.conclusion ? (body.completed_at ?? now) : null,
      };
      repo.checkRuns.push(run);
      return { status: 201, body: checkRunJson(repo, run, "POST", "/repos/{owner}/{repo}/check-runs", 201) };
    }),
  );

  github.route(
    "PATCH",
    "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    inRepo(({ params, body }, repo) => {
      const run = repo.checkRuns.find((r) => r.id === Number(params.check_run_id));
      if (!run) return notFound();
      const refused = outputProblem(body.output);
      if (refused) return refused;
      if (body.status) run.status = body.status;
      if (body.conclusion)
        Object.assign(run, {
          conclusion: body.conclusion,
          status: "completed",
          completed_at: new Date().toISOString(),
        });
      if (body.output) {
        run.output.title = body.output.title ?? run.output.title;
        run.output.summary = body.output.summary ?? run.output.summary;
        run.output.annotations.push(...(body.output.annotations ?? []));
      }
      return {
        status: 200,
        body: checkRunJson(repo, run, "PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", 200),
      };
    }),
  );

  github.route(
    "GET",
    "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    inRepo((request, repo) => {
      const { params, query } = request;
      const sha = repo.refs.get(`refs/heads/${params.ref}`) ?? params.ref;
      let runs = repo.checkRuns.filter(
        (r) => r.head_sha === sha && (!query.get("check_name") || r.name === query.get("check_name")),
      );
      if (query.get("filter") !== "all")
        runs = runs.filter((r, i) => !runs.slice(i + 1).some((later) => later.name === r.name));
      const template = "/repos/{owner}/{repo}/commits/{ref}/check-runs";
      const { page, headers } = paginate(request, runs);
      return {
        status: 200,
        body: {
          total_count: runs.length,
          check_runs: page.map((r) => checkRunJson(repo, r, "GET", template, 200)),
        },
        headers,
      };
    }),
  );
}
