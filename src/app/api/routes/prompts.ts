/** /tasks/{task}/prompt(s): the active version, every version, activation. */
import { NotFoundError } from "../../../core/errors.js";
import { activateVersion } from "../../../jobs/index.js";
import { ensureVersions, resolveTask } from "../../tasks.js";
import type { ApiRouter } from "../context.js";
import { readCanaryView } from "../../../store/canary-state.js";
import { CANARY_HEADER } from "../../../core/canary-split.js";
import { serveVersion } from "../../canary.js";
import { HttpError } from "../http.js";

/** The longest `unit` accepted: a user or session id, not a document. */
const MAX_UNIT_LENGTH = 256;

/** `?unit=KEY`, or null without one; an empty or overlong key is a 422 naming the parameter. */
function unitQuery(query: URLSearchParams): string | null {
  const unit = query.get("unit");
  if (unit === null) return null;
  if (unit.length === 0 || unit.length > MAX_UNIT_LENGTH)
    throw new HttpError(422, [
      {
        loc: ["query", "unit"],
        msg: `must be 1 to ${MAX_UNIT_LENGTH} characters (a user, session or request id), got ${unit.length}`,
        type: "string_length",
      },
    ]);
  return unit;
}

export function registerPromptRoutes(router: ApiRouter): void {
  router.add("GET", "/api/v1/tasks/{task}/prompt", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const unit = unitQuery(req.query);
    const versions = await ensureVersions(repo, task);
    const active = versions.find((v) => v.status === "active");
    if (!active)
      throw new HttpError(
        404,
        `task ${task.name} has no active prompt yet: set prompt_path to a file that exists`,
      );
    const { version, canary } = await serveVersion(repo.store, task, versions, active, unit);
    const headers: Record<string, string> = { etag: `"${version.id}"` };
    if (canary !== null) headers[CANARY_HEADER] = canary;
    return { status: 200, body: version, headers };
  });

  router.add("GET", "/api/v1/tasks/{task}/canary", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    // Refused before ensureVersions, which records a baseline: a 404 writes nothing.
    const noCanary = () =>
      new HttpError(404, `task ${task.name} has no canary: add \`canary: { share: 0.1 }\` to its task file`);
    if (!task.canary) throw noCanary();
    const figures = await readCanaryView(repo.store, task, await ensureVersions(repo, task));
    if (!figures) throw noCanary();
    return { status: 200, body: figures };
  });

  router.add("GET", "/api/v1/tasks/{task}/prompts", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    return { status: 200, body: await ensureVersions(repo, task) };
  });

  router.add("POST", "/api/v1/tasks/{task}/prompts/{version_id}/activate", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const versionId = req.params.version_id!;
    // A version that was never listed cannot be activated; refusing it before ensureVersions
    // keeps a 404 from recording the task's baseline as a side effect.
    if (!(await repo.store.listPromptVersions(task.name)).some((v) => v.id === versionId))
      throw new HttpError(404, `prompt version ${versionId} of task ${task.name} not found`);
    await ensureVersions(repo, task, { reconcile: true });
    try {
      // The pointer moves now; the prompt file follows through the task's pull request.
      const { active } = await activateVersion(repo.store, repo.shipper, task, versionId);
      return { status: 200, body: active };
    } catch (error) {
      if (error instanceof NotFoundError) throw new HttpError(404, error.message);
      throw error;
    }
  });
}
