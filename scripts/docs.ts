/** Writes the generated documentation: the task configuration reference and its JSON Schema. */
import { writeFileSync } from "node:fs";
import {
  JSON_SCHEMA_PATH,
  REFERENCE_PATH,
  taskConfigReference,
  taskJsonSchema,
} from "./docs/task-config-reference.js";

writeFileSync(REFERENCE_PATH, taskConfigReference());
writeFileSync(JSON_SCHEMA_PATH, taskJsonSchema());
console.log(`wrote ${REFERENCE_PATH} and ${JSON_SCHEMA_PATH}`);
