import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "../chunks/chunk-XWA7AX5Y.js";
import "../chunks/chunk-BMR4F4KA.js";
import "../chunks/chunk-FUW7TH2W.js";
import "../chunks/chunk-B4DUJZFI.js";

// src/app/index.ts
await startApp(process.env);
