/**
 * What started this run, and which task and job it is about. The workflow may pass `task` and
 * `job-id` as inputs; when it does not, they are read from the event itself (the app's
 * `workflow_dispatch` inputs, or a `repository_dispatch` of type `kaizen-optimize`).
 */
import type { TriggeredBy } from "../core/records.js";
import { InputError, type ActionInputs } from "./inputs.js";

export const REPOSITORY_DISPATCH_TYPE = "kaizen-optimize";

/** The events the Action acts on; on any other it does nothing (see `ignoredEvent`). */
export const KNOWN_EVENTS = ["schedule", "workflow_dispatch", "repository_dispatch", "pull_request"] as const;

/**
 * Why the Action does nothing on this event, or null when it acts on it. An event it does not
 * know never falls back to an optimization: under `pull_request_target` that would spend the
 * model budget and write the data branch and a pull request because a fork opened one.
 *
 * @example
 * ignoredEvent("push") // 'Kaizen does nothing on "push": …'
 */
export function ignoredEvent(eventName: string): string | null {
  if ((KNOWN_EVENTS as readonly string[]).includes(eventName)) return null;
  if (eventName === "pull_request_target")
    return (
      'Kaizen does nothing on "pull_request_target": that event gives a fork\'s pull request the ' +
      "repository's secrets and a write token. Use `pull_request` to evaluate prompt edits."
    );
  return `Kaizen does nothing on "${eventName}": it runs on ${KNOWN_EVENTS.join(", ")}.`;
}

export interface Trigger {
  event: string;
  triggeredBy: TriggeredBy;
  tasks: string[];
  jobId: string | null;
}

interface EventPayload {
  action?: string;
  inputs?: Record<string, unknown>;
  client_payload?: Record<string, unknown>;
}

/**
 * @example
 * resolveTrigger("repository_dispatch", { action: "kaizen-optimize", client_payload: { task: "summarize" } }, inputs)
 * // { event: "repository_dispatch", triggeredBy: "api_on_demand", tasks: ["summarize"], jobId: null }
 */
export function resolveTrigger(eventName: string, payload: EventPayload, inputs: ActionInputs): Trigger {
  const fromEvent = (record: Record<string, unknown> | undefined) => ({
    task: typeof record?.task === "string" ? record.task.trim() : "",
    // The app sends `job-id` (the Action's input name); `job_id` is accepted from hand-made dispatches.
    jobId:
      [record?.["job-id"], record?.job_id]
        .find((v): v is string => typeof v === "string" && v.trim() !== "")
        ?.trim() ?? null,
  });
  let triggeredBy: TriggeredBy;
  let given = { task: "", jobId: null as string | null };
  switch (eventName) {
    case "schedule":
      triggeredBy = "schedule";
      break;
    case "workflow_dispatch":
      given = fromEvent(payload.inputs);
      // The app dispatches with a job id; a person pressing "Run workflow" does not.
      triggeredBy = given.jobId ? "auto_threshold" : "manual";
      break;
    case "repository_dispatch":
      if (payload.action !== REPOSITORY_DISPATCH_TYPE) {
        throw new InputError(
          `repository_dispatch of type "${payload.action ?? ""}" is not Kaizen's; send event_type "${REPOSITORY_DISPATCH_TYPE}"`,
        );
      }
      given = fromEvent(payload.client_payload);
      triggeredBy = "api_on_demand";
      break;
    default:
      throw new InputError(ignoredEvent(eventName) ?? `Kaizen cannot optimize on "${eventName}"`);
  }
  const eventTasks = given.task.split(/[\s,]+/).filter(Boolean);
  const tasks = inputs.tasks.length > 0 ? inputs.tasks : eventTasks;
  // The event's job belongs to the event's task: a matrix runner for another task (the same
  // workflow_dispatch event reaches every runner of the matrix) does not take it.
  const eventJobApplies =
    inputs.tasks.length === 0 || (eventTasks.length === 1 && tasks.join() === eventTasks[0]);
  const jobId = inputs.jobId ?? (eventJobApplies ? given.jobId : null);
  if (jobId !== null && tasks.length !== 1)
    throw new InputError(
      `the event names job ${jobId} but ${tasks.length === 0 ? "no task" : "several tasks"}; a job belongs to exactly one task`,
    );
  return { event: eventName, triggeredBy, tasks, jobId };
}
