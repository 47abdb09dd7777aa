import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  numberOption,
  parseCommandArgs
} from "./chunk-2XUKMV3X.js";
import "./chunk-4CXYVOQZ.js";

// src/cli/commands/app.ts
var appCommand = {
  usage: `Usage: kaizen app [--port 3000] [--host 0.0.0.0]

Runs the Kaizen GitHub App: GitHub's webhooks at /api/github/webhooks and the Kaizen API at
/api/v1, for the repositories the App is installed on. It reads APP_ID, PRIVATE_KEY (or
PRIVATE_KEY_PATH) and WEBHOOK_SECRET from the environment or from .env in this directory.

Without an APP_ID it prints a link to a page that registers the App on GitHub with the
permissions and events of app.yml, writes the App's id, key and secret to .env, and then starts.
The webhook URL is WEBHOOK_PROXY_URL when set (a smee.io channel, to try it on your machine),
else the address you open the page at followed by /api/github/webhooks.

Options:
  --port N   the port (default: PORT, else 3000)
  --host H   the address to listen on (default: HOST, else 0.0.0.0)

Example:
  WEBHOOK_PROXY_URL=https://smee.io/your-channel kaizen app
  kaizen app --port 8080`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { port: { type: "string" }, host: { type: "string" } });
    const port = numberOption("port", values.port, Number(io.env.PORT ?? 3e3), 0, 65535);
    const { startApp } = await import("./main-NYIE7ONQ.js");
    const { server } = await startApp(
      { ...io.env, PORT: String(port), ...values.host ? { HOST: values.host } : {} },
      { cwd: io.cwd, log: (line) => io.stdout.write(`${line}
`) }
    );
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await close(server);
    return 0;
  }
};
function close(server) {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
export {
  appCommand
};
