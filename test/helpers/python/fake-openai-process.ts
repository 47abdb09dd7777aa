/**
 * The fake OpenAI-compatible server in its own process, for the Python SDK's tests (they drive it
 * through the real `openai` Python package): prints `READY <baseURL>` once listening and runs
 * until its stdin closes or it gets SIGTERM.
 */
import { FakeOpenAI } from "../../fakes/openai/server.js";

const fake = await FakeOpenAI.start();
process.stdout.write(`READY ${fake.baseURL}\n`);
const stop = async () => {
  await fake.close();
  process.exit(0);
};
process.stdin.on("end", () => void stop());
process.stdin.resume();
process.once("SIGTERM", () => void stop());
