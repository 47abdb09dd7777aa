import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-J3S5DJ65.js";
import "../chunks/chunk-LELRHLQZ.js";
import "../chunks/chunk-XC62COOX.js";
import "../chunks/chunk-SYV4CJG7.js";

// src/action/index.ts
await run();
