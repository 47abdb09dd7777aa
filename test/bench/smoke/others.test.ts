import { describe, expect, it } from "vitest";
import { registeredBenches, SMOKE, smokeTests, STORE_BENCHES } from "./benches.js";

describe("npm run bench -- NAME at a tiny size: every other bench", () => {
  it("knows a tiny size for every registered bench", () => {
    expect(registeredBenches().sort()).toEqual(Object.keys(SMOKE).sort());
  });

  smokeTests(Object.keys(SMOKE).filter((name) => !STORE_BENCHES.includes(name)));
});
