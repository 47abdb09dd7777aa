import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "./chunk-5AN4ECRJ.js";
import "./chunk-FM2WJFBF.js";
import "./chunk-5V2FSDZV.js";
import "./chunk-D3CQPUUT.js";
export {
  startApp
};
