import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-36HJNNSZ.js";
import "../chunks/chunk-VHKUVGZZ.js";
import "../chunks/chunk-K3HQAUFR.js";
import "../chunks/chunk-KOACAKZ3.js";

// src/action/index.ts
await runAction();
