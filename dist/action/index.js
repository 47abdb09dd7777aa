import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-IMQJZSCK.js";
import "../chunks/chunk-KJQ6FTUF.js";
import "../chunks/chunk-ATL73NXN.js";
import "../chunks/chunk-423SJ5TU.js";

// src/action/index.ts
await runAction();
