import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-K3OYUZJ6.js";
import "../chunks/chunk-HRPGKAOC.js";
import "../chunks/chunk-MQ2DKCMT.js";
import "../chunks/chunk-D53J25L3.js";

// src/action/index.ts
await run();
