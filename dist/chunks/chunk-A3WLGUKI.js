import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  parseTaskConfig
} from "./chunk-IM6PW7XL.js";

// src/store/tasks.ts
async function loadTasks(store, ref) {
  const tasks = [];
  const broken = [];
  for (const file of await store.listTaskFiles(ref)) {
    const { config, issues } = parseTaskConfig(file.text, file.path);
    if (config) tasks.push(config);
    else broken.push({ path: file.path, issues });
  }
  tasks.sort((a, b) => a.name.localeCompare(b.name));
  return { tasks, broken };
}
async function taskOverviews(store) {
  const { tasks, broken } = await loadTasks(store);
  const overviews = await Promise.all(
    tasks.map(async (config) => {
      const [state, versions, jobs] = await Promise.all([
        store.getTaskState(config.name),
        store.listPromptVersions(config.name),
        store.listJobs(config.name)
      ]);
      return { config, state, versions, jobs };
    })
  );
  return { overviews, broken };
}

export {
  loadTasks,
  taskOverviews
};
