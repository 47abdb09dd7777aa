import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-UI7OXPSY.js";
import "../chunks/chunk-3M5OFQRD.js";
import "../chunks/chunk-4B4LUYMO.js";
import "../chunks/chunk-LSWJUL7H.js";

// src/action/index.ts
await run();
