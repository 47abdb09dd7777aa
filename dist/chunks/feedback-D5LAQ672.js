import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  feedbackCommand
} from "./chunk-V3JJCC6L.js";
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
  feedbackCommand
};
