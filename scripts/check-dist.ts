/**
 * Fails when dist/ is not what `npm run build` makes from src/ (the Action runs dist/, so a
 * stale bundle would ship code that no test ran), or when it is over its size budget
 * (scripts/dist-size.ts).
 */
import { execFileSync } from "node:child_process";
import { checkDistBudget, distBytes } from "./dist-size.js";

execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
const status = execFileSync("git", ["status", "--porcelain", "--", "dist"], { encoding: "utf8" });
if (status.trim() !== "") {
  console.error("dist/ is stale: run `npm run build` and commit dist/. Differences:\n" + status);
  process.exit(1);
}
try {
  checkDistBudget(distBytes("dist"));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
console.log("dist/ matches src/ and is within its size budget");
