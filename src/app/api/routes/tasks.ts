/** /tasks: list, create (committed to the default branch), get. */
import { stringify } from "yaml";
import type { z } from "zod";
import { baselinePrompt, defaultPromptPath } from "../../../core/baseline-prompt.js";
import { caseTwin } from "../../../core/git-paths.js";
import { CreateTaskInput } from "../../../core/records.js";
import { TASK_CONFIG_ALIASES, TaskConfig } from "../../../core/task-config-schema.js";
import { createPromptFile, detectPromptFormat } from "../../../render/index.js";
import { unknownTaskKeys } from "../../../core/task-config.js";
import { TASKS_DIR } from "../../../store/layout.js";
import {
  baselineVersion,
  forgetTasks,
  listTaskConfigs,
  resolveTask,
  taskView,
  taskViews,
} from "../../tasks.js";
import type { ApiRouter } from "../context.js";
import { HttpError } from "../http.js";
import { fieldErrors, intQuery } from "../validation.js";

/**
 * The request's task, or a 422 listing every bad field and every unknown key, at any depth
 * (zod would strip one silently: a typo would create a task other than the one asked for),
 * with the same words as the YAML parser's. A task file on disk only warns of an unknown
 * top-level key, so that an older app reads a newer file; a request is refused instead.
 */
function parseTask(body: unknown): CreateTaskInput {
  const unknown =
    body && typeof body === "object" && !Array.isArray(body)
      ? unknownTaskKeys(body as Record<string, unknown>)
          .filter((k) => !(k.path.length === 1 && (k.path[0] === "prompt" || k.path[0] === "inputs")))
          .map((k) => ({
            loc: ["body", ...k.path.map((p) => (typeof p === "number" ? p : String(p)))],
            msg: k.measured
              ? k.message
              : `unknown field${k.suggestion ? ` (did you mean "${k.suggestion}"?)` : ""}`,
            type: "unknown_key",
          }))
      : [];
  const result = CreateTaskInput.safeParse(body);
  const invalid = result.success ? [] : fieldErrors(result.error, body, ["body"]);
  if (unknown.length > 0 || !result.success) throw new HttpError(422, [...unknown, ...invalid]);
  return result.data;
}

export function registerTaskRoutes(router: ApiRouter): void {
  // A page, by name: each task shown costs reads of its state and active version (one listing
  // of each for the page), so one request holds at most 200 of them however many there are.
  router.add("GET", "/api/v1/tasks", async (req, { repo }) => {
    const limit = intQuery(req.query, "limit", 50, 1, 200);
    const offset = intQuery(req.query, "offset", 0, 0, 1_000_000);
    const page = (await listTaskConfigs(repo)).slice(offset, offset + limit);
    return { status: 200, body: await taskViews(repo, page) };
  });

  router.add("GET", "/api/v1/tasks/{task}", async (req, { repo }) => ({
    status: 200,
    body: await taskView(repo, await resolveTask(repo, req.params.task!)),
  }));

  router.add("POST", "/api/v1/tasks", async (req, { repo, key }) => {
    const raw = (await req.json()) as Record<string, unknown> | undefined;
    const body = raw && typeof raw === "object" ? { ...raw } : raw;
    if (body && typeof body === "object")
      for (const [alias, field] of Object.entries(TASK_CONFIG_ALIASES)) {
        if (!Object.hasOwn(body, alias)) continue;
        const fields = body as Record<string, unknown>;
        if (!Object.hasOwn(fields, field)) fields[field] = fields[alias];
        delete fields[alias];
      }
    const input = parseTask(body);
    const taskFile = `${TASKS_DIR}/${input.name}.yml`;
    // A file of that name in any letter case (or as .yaml) is the same task on a Mac or Windows.
    const taken = (await repo.store.listTaskFiles()).find(
      (file) => file.path.toLowerCase().replace(/\.yaml$/, ".yml") === taskFile.toLowerCase(),
    );
    if (taken) throw new HttpError(409, `task ${input.name} already exists: ${taken.path}`);
    if ((await listTaskConfigs(repo)).some((t) => t.name === input.name))
      throw new HttpError(409, `task ${input.name} already exists`);
    if (input.prompt !== undefined && input.inputs !== undefined)
      throw new HttpError(422, [
        {
          loc: ["body", "inputs"],
          msg: "names the inputs of a baseline prompt Kaizen makes; with a `prompt`, its placeholders name them",
          type: "value_error",
        },
      ]);
    const { prompt, inputs, ...config } = {
      ...input,
      prompt_path: input.prompt_path ?? defaultPromptPath(input.name),
    };
    const promptPath = config.prompt_path;
    // A named prompt file that exists is the task's baseline; with no file to use, the baseline
    // is made from the description and the input names (a signature, as DSPy starts from). The
    // file is created, never overwritten: a default path that is taken answers 409 naming it.
    const existing =
      prompt === undefined && input.prompt_path !== null ? await repo.store.readRepoFile(promptPath) : null;
    const promptFile =
      existing === null
        ? (prompt ??
          createPromptFile(
            config.prompt_format ?? detectPromptFormat(promptPath),
            baselinePrompt(config, inputs),
          ))
        : null;
    // Only what differs from the defaults goes into the file, as a person would write it.
    const isDefault = (key: string, value: unknown) => {
      const fallback = (TaskConfig.shape as Record<string, z.ZodType>)[key]!.safeParse(undefined);
      return fallback.success && JSON.stringify(fallback.data) === JSON.stringify(value);
    };
    const fields = Object.fromEntries(
      Object.entries(config).filter(
        ([key, value]) => key !== "name" && value !== null && !isDefault(key, value),
      ),
    );
    // What a task owns, and all an API key may write: its own file and a new prompt file.
    const files: Record<string, string> = {
      [taskFile]: `# Created through the Kaizen API.\n${stringify({ name: config.name, ...fields })}`,
    };
    if (promptFile !== null) files[promptPath] = promptFile;
    // A file that differs from one the repository has (or a task names) only in letter case is
    // one file on macOS and Windows: a 409 naming it, as for a file that exists.
    const known = [
      ...(await repo.store.listRepoFiles()),
      ...(await listTaskConfigs(repo)).flatMap((t) => (t.prompt_path === null ? [] : [t.prompt_path])),
    ];
    for (const path of Object.keys(files)) {
      const twin = caseTwin(path, known);
      if (twin !== null)
        throw new HttpError(
          409,
          `${path} differs only in letter case from ${twin}, which exists; a checkout on macOS or Windows cannot hold both, so Kaizen never creates it`,
        );
    }
    const message = `Add Kaizen task ${config.name}`;
    if (repo.proposeChange) {
      // On GitHub the default branch is people's, changed through review: a key that could
      // commit there would be a deploy key in disguise. A new task arrives as a pull request
      // (docs/decisions.md, "Tasks created through the API on GitHub").
      const url = await repo.proposeChange(
        config.name,
        files,
        message,
        `Adds the Kaizen task \`${config.name}\`, requested through the API with the key \`${key.prefix}…\`. Kaizen starts on the task once this pull request is merged.`,
      );
      return {
        status: 202,
        body: {
          ...(await taskView(repo, config)),
          pull_request_url: url,
          detail: `task ${config.name} was proposed in a pull request; it exists once the pull request is merged: ${url}`,
        },
      };
    }
    await repo.store.commitToDefaultBranch(files, message, { createOnly: true });
    forgetTasks(repo);
    const baseline = promptFile ?? existing;
    if (baseline !== null)
      await repo.store.putPromptVersion(config.name, baselineVersion(repo, config.name, baseline));
    return { status: 201, body: await taskView(repo, config) };
  });
}
