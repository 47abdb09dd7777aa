import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-RHSBAXRO.js";
import "../chunks/chunk-VHKUVGZZ.js";
import "../chunks/chunk-IRIYVX24.js";
import "../chunks/chunk-KOACAKZ3.js";

// src/action/index.ts
await runAction();
