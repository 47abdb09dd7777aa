import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-J56U3MHQ.js";
import "../chunks/chunk-I4B3IQ2I.js";
import "../chunks/chunk-W23CEWNC.js";
import "../chunks/chunk-PDJIWQSQ.js";

// src/action/index.ts
await runAction();
