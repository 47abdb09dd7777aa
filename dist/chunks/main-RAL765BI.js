import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  startApp
} from "./chunk-XWA7AX5Y.js";
import "./chunk-BMR4F4KA.js";
import "./chunk-FUW7TH2W.js";
import "./chunk-B4DUJZFI.js";
export {
  startApp
};
