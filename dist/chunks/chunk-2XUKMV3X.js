import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  KaizenError
} from "./chunk-4CXYVOQZ.js";

// src/cli/command.ts
import { parseArgs } from "node:util";
var CliUsageError = class extends KaizenError {
  name = "CliUsageError";
};
function parseCommandArgs(args, options, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliUsageError(error.message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}
function numberOption(name, raw, fallback, min = -Infinity, max = Infinity) {
  if (raw === void 0) return fallback;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new CliUsageError(`--${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export {
  CliUsageError,
  parseCommandArgs,
  numberOption
};
