/**
 * `npm run bench -- canary`: the online canary on simulated production traffic. Each unit brings
 * one scored entry; the real hash decides its version (share 0.1) and its score is drawn from
 * that version's true rate; the decision is looked at after every entry.
 *   (a) the candidate truly better, (b) truly worse although it won offline, (c) equal: over 200
 *   runs of (c), the share of runs with any decision (each one wrong) must stay at most 5%.
 * Then getPrompt with a unit against the cached path without one, same client, same run.
 * `--runs N` sets the runs of (a) and (b) (default 20), `--units N` the traffic of a run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startLocalServer } from "../src/app/local.js";
import { foldEntries, startCanary, type CanaryState } from "../src/core/canary.js";
import { servesCandidate } from "../src/core/canary-split.js";
import { newId } from "../src/core/ids.js";
import type { PromptVersion } from "../src/core/records.js";
import { Random } from "../src/core/random.js";
import { CanaryConfig } from "../src/core/task-config-schema.js";
import { KaizenClient } from "../src/sdk/index.js";
import { initRepository } from "../src/store/local-git-store.js";
import { figure, numberFlag, progress } from "./report.js";

const ACTIVE = "00000000-0000-4000-8000-00000000000a";
const CONFIG = CanaryConfig.parse({ share: 0.1, min_samples: 200, max_loss: 0.05 });

interface Outcome {
  decision: CanaryState["decision"];
  /** Entries (both arms) until the decision, or all of them while collecting. */
  entries: number;
}

/** One run: `units` units, each served by the hash and scored from its version's true rate. */
async function simulate(seed: string, units: number, pActive: number, pCandidate: number): Promise<Outcome> {
  const random = new Random(seed);
  const candidate = newId();
  let state = startCanary("bench", candidate, ACTIVE, CONFIG.share, new Date(0));
  for (let i = 0; i < units; i++) {
    const toCandidate = await servesCandidate(`${seed}-unit-${i}`, candidate, CONFIG.share);
    const p = toCandidate ? pCandidate : pActive;
    const entry = { versionId: toCandidate ? candidate : ACTIVE, score: random.next() < p ? 1 : 0 };
    state = foldEntries(state, [entry], CONFIG, new Date(0));
    if (state.decision !== "collecting") return { decision: state.decision, entries: i + 1 };
  }
  return { decision: state.decision, entries: units };
}

function summarize(name: string, outcomes: Outcome[]): void {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.decision, (counts.get(o.decision) ?? 0) + 1);
  figure(
    `canary ${name} decisions`,
    [...counts].map(([decision, n]) => `${decision} ${n}/${outcomes.length}`).join(", "),
  );
  const decided = outcomes
    .filter((o) => o.decision !== "collecting")
    .map((o) => o.entries)
    .sort((a, b) => a - b);
  if (decided.length > 0) {
    figure(`canary ${name} entries until decision median`, decided[Math.floor(decided.length / 2)]!);
    figure(`canary ${name} entries until decision max`, decided[decided.length - 1]!);
  }
}

async function scenarios(args: string[]): Promise<void> {
  const runs = numberFlag(args, "runs", 20);
  const units = numberFlag(args, "units", 40_000);
  figure("canary share", CONFIG.share);
  figure("canary units per run", units);
  progress(`canary: (a) candidate truly better, ${runs} runs`);
  const better: Outcome[] = [];
  for (let r = 0; r < runs; r++) better.push(await simulate(`better-${r}`, units, 0.6, 0.7));
  summarize("(a) better 0.60→0.70", better);
  progress(`canary: (b) candidate truly worse though it won offline, ${runs} runs`);
  const worse: Outcome[] = [];
  for (let r = 0; r < runs; r++) worse.push(await simulate(`worse-${r}`, units, 0.7, 0.55));
  summarize("(b) worse 0.70→0.55", worse);
  progress("canary: (c) equal, 200 runs monitored after every entry");
  const equal: Outcome[] = [];
  for (let r = 0; r < 200; r++) equal.push(await simulate(`equal-${r}`, units, 0.65, 0.65));
  summarize("(c) equal 0.65", equal);
  const wrong = equal.filter((o) => o.decision !== "collecting").length;
  figure("canary (c) equal wrong decisions share", wrong / equal.length);
}

async function prompts(): Promise<void> {
  progress("canary: getPrompt with a unit against the cached path without one");
  const dir = await mkdtemp(path.join(tmpdir(), "kaizen-bench-canary-"));
  await initRepository(dir, {
    ".kaizen/tasks/greet.yml": "name: greet\nprompt_path: prompts/greet.txt\ncanary: {share: 0.1}\n",
    "prompts/greet.txt": "Greet {{name}}.\n",
  });
  const server = await startLocalServer({ repoDir: dir, port: 0 });
  try {
    const kaizen = new KaizenClient({ apiKey: server.apiKey, baseUrl: server.url, onWarning: () => {} });
    const active = (await kaizen.getPrompt("greet")).prompt;
    const candidate: PromptVersion = { ...active, id: newId(), version_number: 2, status: "candidate" };
    await server.repo.store.putPromptVersion("greet", candidate);
    kaizen.invalidate("greet");
    // Warm both versions into the cache: from here on no request leaves the client.
    for (let i = 0; i < 200; i++) await kaizen.getPrompt("greet", { unit: `warm-${i}` });
    const times = 50_000;
    const measure = async (call: (i: number) => Promise<unknown>) => {
      const start = performance.now();
      for (let i = 0; i < times; i++) await call(i);
      return ((performance.now() - start) * 1000) / times;
    };
    const cached = await measure(() => kaizen.getPrompt("greet"));
    const withUnit = await measure((i) => kaizen.getPrompt("greet", { unit: `user-${i}` }));
    figure("canary getPrompt cached without unit", cached, "µs");
    figure("canary getPrompt with unit", withUnit, "µs");
    figure("canary getPrompt with unit / cached ratio", withUnit / cached);
    await kaizen.close();
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  await scenarios(args);
  await prompts();
}
