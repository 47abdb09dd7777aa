import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "../chunks/chunk-VVKXE2UQ.js";
import "../chunks/chunk-MQ2DKCMT.js";
import "../chunks/chunk-RNIGJEMQ.js";
import "../chunks/chunk-D53J25L3.js";

// src/app/index.ts
await startApp(process.env);
