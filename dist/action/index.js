import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-L2XTYMLN.js";
import "../chunks/chunk-36OSZLFC.js";
import "../chunks/chunk-BMR4F4KA.js";
import "../chunks/chunk-B4DUJZFI.js";

// src/action/index.ts
await run();
