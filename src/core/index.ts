export * from "./errors.js";
export * from "./ids.js";
export * from "./job-state.js";
export * from "./records.js";
export * from "./task-config.js";
export * from "./task-config-schema.js";
export * from "./zod-issues.js";
