/** `kaizen serve` in its own OS process, for the crash test: prints `READY <url>` when listening. */
import { startLocalServer } from "../../../src/app/local.js";

const [dir, key] = process.argv.slice(2);
const server = await startLocalServer({ repoDir: dir!, port: 0, apiKey: key });
process.stdout.write(`READY ${server.url}\n`);
