import { describe } from "vitest";
import { smokeTests, STORE_BENCHES } from "./benches.js";

describe("npm run bench -- NAME at a tiny size: the storage and API benches", () => {
  smokeTests(STORE_BENCHES);
});
