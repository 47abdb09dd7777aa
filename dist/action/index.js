import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-BGFKMJTZ.js";
import "../chunks/chunk-KWUE3FN4.js";
import "../chunks/chunk-36OSJJOH.js";
import "../chunks/chunk-HOTHZW2W.js";

// src/action/index.ts
await run();
