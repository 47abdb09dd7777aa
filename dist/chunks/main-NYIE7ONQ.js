import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "./chunk-V2SFPFKW.js";
import "./chunk-PCDSQX5D.js";
import "./chunk-LOM32M6D.js";
import "./chunk-RWCDTPBP.js";
import "./chunk-ZA56Q3X5.js";
import "./chunk-APVKA7BG.js";
import "./chunk-EHX4BM5X.js";
import "./chunk-H57QFYJN.js";
import "./chunk-A3WLGUKI.js";
import "./chunk-U323PJSG.js";
import "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import "./chunk-4CXYVOQZ.js";
export {
  startApp
};
