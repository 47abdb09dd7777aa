import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "./chunk-MHRL4UPN.js";
import "./chunk-WBKRAP5E.js";
import "./chunk-7QLBVUG6.js";
import "./chunk-ZSZRPUYD.js";
import "./chunk-E23WWFUP.js";
import "./chunk-APVKA7BG.js";
import "./chunk-EHX4BM5X.js";
import "./chunk-H57QFYJN.js";
import "./chunk-A3WLGUKI.js";
import "./chunk-U4IA3UFU.js";
import "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import "./chunk-4CXYVOQZ.js";
export {
  startApp
};
