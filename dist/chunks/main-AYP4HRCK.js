import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "./chunk-VVKXE2UQ.js";
import "./chunk-MQ2DKCMT.js";
import "./chunk-RNIGJEMQ.js";
import "./chunk-D53J25L3.js";
export {
  startApp
};
