/**
 * A task's configuration is people's input, like a request body: whatever is wrong with it is a
 * 422 that names the task file, the field and the fix, never a 500.
 */
import { ConfigError, KaizenError } from "../../core/errors.js";
import { UnknownModelPriceError } from "../../core/prices.js";
import type { TaskConfig } from "../../core/task-config-schema.js";
import { BudgetTooSmallError } from "../../optimizer/estimate.js";
import { TASKS_DIR } from "../../store/layout.js";
import { HttpError } from "./http.js";
import type { ApiResponse } from "./router.js";
import type { FieldError } from "./validation.js";

/** The 422 of a ConfigError (every issue, with its file, line and field); null for other errors. */
export function configErrorResponse(error: unknown): ApiResponse | null {
  if (!(error instanceof ConfigError)) return null;
  const issues = error.issues.filter((i) => i.severity === "error");
  return {
    status: 422,
    body: {
      detail: (issues.length > 0 ? issues : error.issues).map((i): FieldError => ({
        loc: ["task_file", i.file, ...i.field.split(".")],
        msg: `${i.file}:${i.line}: ${i.field}: ${i.message}`,
        type: "config_error",
      })),
    },
  };
}

/** Which field of a task file an error of the cost arithmetic is about. */
function fieldOf(error: unknown): string {
  if (error instanceof UnknownModelPriceError) return "model_prices";
  if (error instanceof BudgetTooSmallError) return "cost_budget";
  const field = (error as { field?: unknown } | null)?.field;
  return typeof field === "string" ? field : "(task)";
}

/**
 * Runs work that only computes from a task's configuration (prices, budget, models), turning
 * any failure of it into a 422 that names `.kaizen/tasks/<name>.yml` and the field. Reads of
 * the store must stay outside: a store failure is not the configuration's fault.
 *
 * @example
 * const estimate = await fromTaskConfig(task, () => estimateTask(store, task));
 */
export async function fromTaskConfig<T>(task: TaskConfig, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const config = configErrorResponse(error);
    if (config) throw new HttpError(config.status, (config.body as { detail: unknown }).detail);
    if (!(error instanceof KaizenError) || error.name === "GitCommandError" || /Store/.test(error.name))
      throw error;
    const file = `${TASKS_DIR}/${task.name}.yml`;
    const field = fieldOf(error);
    throw new HttpError(422, [
      {
        loc: ["task_file", file, field],
        msg: `${file}: ${field}: ${error.message}`,
        type: "config_error",
      },
    ]);
  }
}
