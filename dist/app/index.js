import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "../chunks/chunk-V2SFPFKW.js";
import "../chunks/chunk-PCDSQX5D.js";
import "../chunks/chunk-LOM32M6D.js";
import "../chunks/chunk-RWCDTPBP.js";
import "../chunks/chunk-ZA56Q3X5.js";
import "../chunks/chunk-APVKA7BG.js";
import "../chunks/chunk-EHX4BM5X.js";
import "../chunks/chunk-H57QFYJN.js";
import "../chunks/chunk-A3WLGUKI.js";
import "../chunks/chunk-U323PJSG.js";
import "../chunks/chunk-IM6PW7XL.js";
import "../chunks/chunk-WA4UGA32.js";
import "../chunks/chunk-4CXYVOQZ.js";

// src/app/index.ts
await startApp(process.env);
