/** The repo-as-database: one Store interface, implemented over local git and over GitHub. */
export type { AppendResult, DataTransaction, Store } from "./store.js";
export { TaskState } from "./store.js";
export { DATA_BRANCH, TASKS_DIR, layout } from "./layout.js";
export { RefConflictError, type GitBackend } from "./backend.js";
export { RepoStore, StoreContentionError, MAX_SEGMENTS } from "./repo-store.js";
export { LocalGitBackend, KAIZEN_GIT_IDENTITY } from "./local-git-backend.js";
export { LocalGitStore, initRepository } from "./local-git-store.js";
export { GitHubBackend, GitHubStoreError } from "./github-backend.js";
export { GitHubStore } from "./github-store.js";
