/** /tasks/{task}/prompt(s): the active version, every version, activation. */
import { NotFoundError } from "../../../core/errors.js";
import { activateVersion } from "../../../jobs/index.js";
import { ensureVersions, resolveTask } from "../../tasks.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";

export function registerPromptRoutes(router: ApiRouter): void {
  router.add("GET", "/api/v1/tasks/{task}/prompt", async (req, { repo }) => {
    const task = await resolveTask(repo, req.params.task!);
    const active = (await ensureVersions(repo, task)).find((v) => v.status === "active");
    if (!active)
      throw new HttpError(
        404,
        `task ${task.name} has no active prompt yet: set prompt_path to a file that exists`,
      );
    return { status: 200, body: active, headers: { etag: `"${active.id}"` } };
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
    await ensureVersions(repo, task);
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
