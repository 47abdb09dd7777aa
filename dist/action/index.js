import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-IWYFO24Q.js";
import "../chunks/chunk-E663VEMC.js";
import "../chunks/chunk-BM6FMBSI.js";
import "../chunks/chunk-HQR7WGHZ.js";

// src/action/index.ts
await runAction();
