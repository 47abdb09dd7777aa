import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "../chunks/chunk-5AN4ECRJ.js";
import "../chunks/chunk-FM2WJFBF.js";
import "../chunks/chunk-5V2FSDZV.js";
import "../chunks/chunk-D3CQPUUT.js";

// src/app/index.ts
await startApp(process.env);
