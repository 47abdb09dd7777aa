/**
 * For the Python SDK's canary tests: records a task's baseline (version 1, active) and a
 * candidate (version 2) on a local repository's data branch, as a finished job would, and
 * prints `<active id> <candidate id>`.
 */
import { newId, taskId } from "../../../src/core/ids.js";
import type { PromptVersion } from "../../../src/core/records.js";
import { LocalGitStore } from "../../../src/store/local-git-store.js";

const [dir, task, activeText, candidateText] = process.argv.slice(2);
const store = await LocalGitStore.open(dir!);
const version = (number: number, status: PromptVersion["status"], text: string): PromptVersion => ({
  id: newId(),
  task_id: taskId("local", task!),
  version_number: number,
  prompt_text: text,
  eval_score: null,
  status,
  optimizer: null,
  dspy_version: null,
  created_at: new Date().toISOString(),
  job_id: null,
});
const active = version(1, "active", activeText!);
const candidate = version(2, "candidate", candidateText!);
await store.putPromptVersion(task!, active);
await store.putPromptVersion(task!, candidate);
process.stdout.write(`${active.id} ${candidate.id}\n`);
