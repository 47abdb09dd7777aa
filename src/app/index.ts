/** The GitHub App's entry point (dist/app/index.js). */
import { startApp } from "./main.js";

await startApp(process.env);
