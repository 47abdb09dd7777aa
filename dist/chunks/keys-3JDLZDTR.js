import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  LOCAL_REPO_KEY
} from "./chunk-YU3E5EW2.js";
import {
  createApiKey
} from "./chunk-LOM32M6D.js";
import "./chunk-RWCDTPBP.js";
import "./chunk-ZA56Q3X5.js";
import "./chunk-APVKA7BG.js";
import "./chunk-EHX4BM5X.js";
import {
  LocalGitStore
} from "./chunk-HQNAUYHO.js";
import {
  painter,
  table
} from "./chunk-WIQSA56B.js";
import {
  CliUsageError,
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import "./chunk-H57QFYJN.js";
import "./chunk-A3WLGUKI.js";
import "./chunk-U323PJSG.js";
import "./chunk-IM6PW7XL.js";
import "./chunk-WA4UGA32.js";
import "./chunk-4CXYVOQZ.js";

// src/cli/commands/keys.ts
import path from "node:path";
var keysCommand = {
  usage: `Usage: kaizen keys create [--name WHO] | list [--json] | revoke KEY_ID   [--repo DIR]

Manages the API keys that kaizen serve accepts for this repository. A new key is printed once;
only its sha256 is stored (on the kaizen/data branch). For the GitHub App, repository admins
create keys with POST /api/v1/keys and their GitHub token.

Example:
  kaizen keys create --name ci
  kaizen keys list
  kaizen keys revoke 01a2070e-9ce9-75c7-9031-bc129fb99fb1`,
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseCommandArgs(
      rest,
      { repo: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
      true
    );
    const store = await LocalGitStore.open(path.resolve(io.cwd, values.repo ?? "."));
    const paint = painter(io);
    switch (action) {
      case "create": {
        const { key, record } = createApiKey(
          LOCAL_REPO_KEY,
          `local/${path.basename(store.dir)}`,
          values.name ?? "kaizen keys"
        );
        await store.putKey(record);
        if (values.json)
          io.stdout.write(
            `${JSON.stringify({ id: record.id, key, prefix: record.prefix, created_at: record.created_at })}
`
          );
        else
          io.stdout.write(
            `Created key ${record.id}. Store it now, it is shown only once:
${paint("green", key)}
`
          );
        return 0;
      }
      case "list": {
        const keys = (await store.listKeys()).sort((a, b) => a.created_at.localeCompare(b.created_at));
        if (values.json)
          io.stdout.write(
            `${JSON.stringify(
              keys.map(({ hash: _hash, ...k }) => k),
              null,
              2
            )}
`
          );
        else if (keys.length === 0) io.stdout.write("No keys yet: kaizen keys create\n");
        else
          io.stdout.write(
            `${table([["id", "prefix", "created", "by"], ...keys.map((k) => [k.id, `${k.prefix.replace(/…$/, "")}\u2026`, k.created_at.slice(0, 19).replace("T", " "), k.created_by ?? ""])])}
`
          );
        return 0;
      }
      case "revoke": {
        const id = positionals[0];
        if (!id) throw new CliUsageError("revoke needs the key's id (see kaizen keys list)");
        if (!await store.deleteKey(id)) {
          io.stderr.write(`${paint("red", "error:")} no key ${id} in this repository
`);
          return 1;
        }
        io.stdout.write(`Revoked key ${id}.
`);
        return 0;
      }
      default:
        throw new CliUsageError(
          action ? `unknown action "${action}": use create, list or revoke` : "say what to do: create, list or revoke"
        );
    }
  }
};
export {
  keysCommand
};
