/** Dispatches: repository_dispatch and workflow_dispatch, recorded for tests to read. */
import type { FakeGitHub } from "../server.js";
import { apiUrl, htmlUrl, inRepo, notFound, unprocessable } from "./common.js";

export function registerActionRoutes(github: FakeGitHub): void {
  github.route(
    "POST",
    "/repos/{owner}/{repo}/dispatches",
    inRepo(({ body }, repo) => {
      if (typeof body.event_type !== "string" || body.event_type.length === 0 || body.event_type.length > 100)
        return unprocessable("Invalid request.\n\nevent_type must be 1 to 100 characters.");
      if (body.client_payload && Object.keys(body.client_payload).length > 10)
        return unprocessable("Invalid request.\n\nclient_payload may have at most 10 top-level properties.");
      repo.repositoryDispatches.push({
        event_type: body.event_type,
        client_payload: body.client_payload ?? {},
      });
      return { status: 204 };
    }),
  );

  github.route(
    "POST",
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    inRepo(({ params, body }, repo, gh) => {
      if (typeof body.ref !== "string") return unprocessable('Invalid request.\n\n"ref" wasn\'t supplied.');
      // GitHub knows a repository's workflows from the files on its default branch (by file
      // name; the fake has no numeric workflow ids): any other name is 404 Not Found.
      const path = `.github/workflows/${params.workflow_id}`;
      if (gh.readFile(repo.fullName, repo.defaultBranch, path) === null) return notFound();
      const branch = body.ref.replace(/^refs\/heads\//, "");
      if (!repo.refs.has(`refs/heads/${branch}`)) return unprocessable(`No ref found for: ${body.ref}`);
      if (!/\bworkflow_dispatch\b/.test(gh.readFile(repo.fullName, branch, path) ?? ""))
        return unprocessable("Workflow does not have 'workflow_dispatch' trigger");
      if (body.inputs && Object.keys(body.inputs).length > 25)
        return unprocessable("Invalid request.\n\ninputs may have at most 25 properties.");
      repo.workflowDispatches.push({
        workflow_id: params.workflow_id!,
        ref: body.ref,
        inputs: body.inputs ?? {},
      });
      if (!body.return_run_details) return { status: 204 };
      const runId = gh.nextId();
      return {
        status: 200,
        body: {
          workflow_run_id: runId,
          run_url: apiUrl(repo, `/actions/runs/${runId}`),
          html_url: htmlUrl(repo, `/actions/runs/${runId}`),
        },
      };
    }),
  );
}
