import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  optimizeCommand
} from "./chunk-C7NFF4T3.js";
import "./chunk-YU3E5EW2.js";
import "./chunk-LOM32M6D.js";
import "./chunk-RWCDTPBP.js";
import "./chunk-ZA56Q3X5.js";
import "./chunk-APVKA7BG.js";
import "./chunk-EHX4BM5X.js";
import "./chunk-HQNAUYHO.js";
import "./chunk-WIQSA56B.js";
import "./chunk-2XUKMV3X.js";
import "./chunk-H57QFYJN.js";
import "./chunk-A3WLGUKI.js";
import "./chunk-U323PJSG.js";
import "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import "./chunk-4CXYVOQZ.js";
export {
  optimizeCommand
};
