import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-D5ICI26L.js";
import "../chunks/chunk-TW2OJW7N.js";
import "../chunks/chunk-FM2WJFBF.js";
import "../chunks/chunk-D3CQPUUT.js";

// src/action/index.ts
await run();
