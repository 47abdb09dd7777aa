/**
 * `npm run bench -- first-job`: a team's first automatic job (issue #21). At 50, 60, 80 and 120
 * usable feedback entries (the default `feedback_threshold` is 50), how often Kaizen's search and
 * gate ship in the benchmark's learnable worlds, and how often they ship in the null world, where
 * nothing can help (the false-ship rate, which the sign test holds at 5% at any size). The worlds,
 * the fake model server and the run are the optimizer bench's. Flags: --seeds N (learnable runs
 * per world and size, default 3), --null-seeds N (null-world runs per size, default 40),
 * --sizes=50,60 (default 50,60,80,120).
 */
import { mean } from "../src/optimizer/stats.js";
import { FakeOpenAI } from "../test/fakes/openai/server.js";
import { countFlag, runOnce } from "./optimizer/index.js";
import { WORLDS } from "./optimizer/world.js";
import { figure, progress } from "./report.js";

const SIZES = [50, 60, 80, 120];

export async function run(flags: string[]): Promise<void> {
  const seeds = countFlag(flags, "seeds", 3);
  const nullSeeds = countFlag(flags, "null-seeds", 40);
  const sizes =
    flags
      .find((f) => f.startsWith("--sizes="))
      ?.split("=")[1]
      ?.split(",")
      .map(Number) ?? SIZES;
  const learnable = WORLDS.filter((w) => w.learnable);
  const nullWorld = WORLDS.find((w) => !w.learnable)!;
  const fake = await FakeOpenAI.start();
  try {
    console.log(
      `# ${seeds} seed(s) per learnable world (${learnable.map((w) => w.name).join(", ")}) and ${nullSeeds} in the null world (${nullWorld.name}) per size`,
    );
    for (const size of sizes) {
      const shipped: boolean[] = [];
      const worse: boolean[] = [];
      for (const world of learnable)
        for (let seed = 0; seed < seeds; seed++) {
          progress(`first-job: ${size} entries · ${world.name} · seed ${seed + 1}/${seeds}`);
          const r = await runOnce(fake, world, "kaizen", seed, size);
          shipped.push(r.shipped);
          worse.push(r.shipped && r.gain < 0);
        }
      const nullShipped: boolean[] = [];
      const nullWorse: boolean[] = [];
      for (let seed = 0; seed < nullSeeds; seed++) {
        progress(`first-job: ${size} entries · ${nullWorld.name} · seed ${seed + 1}/${nullSeeds}`);
        const r = await runOnce(fake, nullWorld, "kaizen", seed, size);
        nullShipped.push(r.shipped);
        nullWorse.push(r.shipped && r.gain < 0);
      }
      const rate = (xs: boolean[]) =>
        `${mean(xs.map(Number)).toFixed(3)} (${xs.filter(Boolean).length} of ${xs.length})`;
      figure(`first_job.${size}_entries.ship_rate_learnable_worlds`, rate(shipped));
      figure(`first_job.${size}_entries.truly_worse_ship_rate_learnable_worlds`, rate(worse));
      figure(`first_job.${size}_entries.false_ship_rate_null_world`, rate(nullShipped));
      figure(`first_job.${size}_entries.truly_worse_ship_rate_null_world`, rate(nullWorse));
    }
  } finally {
    await fake.close();
  }
}
