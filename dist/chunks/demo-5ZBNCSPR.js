import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import {
  feedbackCommand
} from "./chunk-V3JJCC6L.js";
import {
  optimizeCommand
} from "./chunk-C7NFF4T3.js";
import "./chunk-YU3E5EW2.js";
import "./chunk-LOM32M6D.js";
import "./chunk-RWCDTPBP.js";
import "./chunk-ZA56Q3X5.js";
import "./chunk-APVKA7BG.js";
import "./chunk-EHX4BM5X.js";
import {
  initRepository
} from "./chunk-HQNAUYHO.js";
import {
  painter
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

// src/cli/commands/demo.ts
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

// src/demo/simulated-model.ts
import { createServer } from "node:http";

// src/demo/tickets.ts
import { createHash } from "node:crypto";
var COMPONENTS = ["login", "billing", "export", "API", "mobile app"];
var ASPECTS = ["severity", "component", "error_code", "workaround"];
var INSTRUCTIONS = {
  severity: "Start with the severity: P1 when the customer is blocked, P2 otherwise.",
  component: "Name the affected component in brackets: [login], [billing], [export], [API] or [mobile app].",
  error_code: "Quote the error code when the ticket gives one.",
  workaround: "Say whether the customer has a workaround."
};
var INSTRUCTION_PATTERNS = {
  severity: /severity|\bP1\b/i,
  component: /component/i,
  error_code: /error code/i,
  workaround: /workaround/i
};
var CRITIQUES = {
  severity: "Missing: the severity (P1 when the customer is blocked, P2 otherwise).",
  component: "Missing: the affected component.",
  error_code: "Missing: the error code the customer quoted.",
  workaround: "Missing: whether the customer has a workaround."
};
var CUSTOMERS = ["Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Stark Logistics", "Wayne Retail"];
var PROBLEMS = {
  login: [
    ["cannot sign in", "none of our agents can sign in since this morning"],
    ["is logged out every few minutes", "we get logged out every few minutes"]
  ],
  billing: [
    ["was charged twice", "our card was charged twice for the March invoice"],
    ["cannot download invoices", "the invoices page stays empty"]
  ],
  export: [
    ["gets empty CSV exports", "every CSV export we start comes back empty"],
    ["has exports stuck at 0%", "the nightly export has been stuck at 0% for hours"]
  ],
  API: [
    ["gets timeouts from the API", "about one API call in ten times out"],
    ["is rate limited far below its quota", "the API rate-limits us at a tenth of our quota"]
  ],
  "mobile app": [
    ["sees the mobile app crash on start", "the mobile app crashes as soon as it opens"],
    ["gets no push notifications", "push notifications stopped arriving on phones"]
  ]
};
var WORKAROUNDS = ["use the web version", "restart the job by hand", "retry after a minute"];
var CODE_PREFIX = {
  login: "AUTH",
  billing: "PAY",
  export: "EXP",
  API: "API",
  "mobile app": "MOB"
};
function unit(...parts) {
  return createHash("sha256").update(JSON.stringify(parts)).digest().readUInt32BE(0) / 2 ** 32;
}
var pick = (items, ...parts) => items[Math.floor(unit(...parts) * items.length)];
var FIRST_TICKET = 4100;
function ticket(number) {
  const component = pick(COMPONENTS, "component", number);
  const [problem, complaint] = pick(PROBLEMS[component], "problem", number);
  const customer = pick(CUSTOMERS, "customer", number);
  const blocked = unit("blocked", number) < 0.45;
  const errorCode = unit("code", number) < 0.55 ? `${CODE_PREFIX[component]}-${100 + Math.floor(unit("code-number", number) * 800)}` : null;
  const workaround = unit("workaround", number) < 0.4 ? pick(WORKAROUNDS, "how", number) : null;
  const text = [
    `Hi, this is ${customer}: ${complaint}.`,
    errorCode ? `The screen shows error ${errorCode}.` : "",
    blocked ? "Nobody on our side can work until this is fixed." : "It is annoying, but we can keep going.",
    workaround ? `For now we ${workaround}.` : "We found no way around it.",
    `(ticket #${number})`
  ].filter(Boolean).join(" ");
  return { number, text, customer, component, problem, blocked, errorCode, workaround };
}
function tickets(count) {
  return Array.from({ length: count }, (_, i) => ticket(FIRST_TICKET + i));
}
function ticketIn(text) {
  const numbers = [...text.matchAll(/ticket #(\d+)/g)].map((m) => Number(m[1]));
  const last = numbers.at(-1);
  return last === void 0 ? null : ticket(last);
}
function relevantAspects(t) {
  return ASPECTS.filter((a) => a !== "error_code" || t.errorCode !== null);
}
function statedAspects(t, summary) {
  const stated = [];
  if (/\bP[12]\b/.test(summary)) stated.push("severity");
  if (summary.includes(`[${t.component}]`)) stated.push("component");
  if (t.errorCode && summary.includes(t.errorCode)) stated.push("error_code");
  if (/workaround/i.test(summary)) stated.push("workaround");
  return stated;
}
function trueScore(t, summary) {
  const relevant = relevantAspects(t);
  const stated = statedAspects(t, summary);
  return relevant.filter((a) => stated.includes(a)).length / relevant.length;
}
function summarize(prompt, t) {
  const asked = (a) => INSTRUCTION_PATTERNS[a].test(prompt.replace(t.text, ""));
  const states = (a) => unit("states", a, t.number, asked(a)) < (asked(a) ? 0.97 : 0.2);
  const parts = [];
  if (states("severity")) parts.push(t.blocked ? "P1" : "P2");
  if (states("component")) parts.push(`[${t.component}]`);
  parts.push(`${t.customer} ${t.problem}`);
  let summary = parts.join(" ");
  if (t.errorCode && states("error_code")) summary += ` (error ${t.errorCode})`;
  if (states("workaround")) summary += t.workaround ? `; workaround: ${t.workaround}` : "; no workaround";
  return `${summary}.`;
}

// src/demo/simulated-model.ts
var SIMULATED_MODELS = {
  teacher: "simulated-teacher",
  judge: "simulated-judge",
  student: "simulated-student"
};
async function startSimulatedModel() {
  const calls = /* @__PURE__ */ new Map();
  const server = createServer((req, res) => void handle(req, res, calls));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })
  };
}
async function handle(req, res, calls) {
  const send = (status, body2) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body2));
  };
  const url = new URL(req.url ?? "/", "http://simulated");
  if (req.method === "GET" && url.pathname === "/v1/models")
    return send(200, {
      object: "list",
      data: Object.values(SIMULATED_MODELS).map((id) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "kaizen"
      }))
    });
  if (req.method !== "POST" || url.pathname !== "/v1/chat/completions")
    return send(404, { error: { message: `the simulated model serves only /v1/chat/completions` } });
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return send(400, { error: { message: "the body is not JSON", type: "invalid_request_error" } });
  }
  const model = String(body.model);
  const messages = (body.messages ?? []).map((m) => ({ role: String(m.role), content: String(m.content) }));
  const content = simulatedAnswer(model, messages, Number(body.seed ?? 0));
  if (content === null)
    return send(404, {
      error: {
        message: `the simulated model serves ${Object.values(SIMULATED_MODELS).join(", ")}, not "${model}"`,
        type: "invalid_request_error",
        code: "model_not_found"
      }
    });
  calls.set(model, (calls.get(model) ?? 0) + 1);
  const promptTokens = messages.reduce((sum, m) => sum + Math.ceil(m.content.length / 4) + 4, 3);
  const completionTokens = Math.ceil(content.length / 4);
  send(200, {
    id: `chatcmpl-simulated-${calls.get(model)}`,
    object: "chat.completion",
    created: 0,
    model,
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens
    }
  });
}
function simulatedAnswer(model, messages, seed = 0) {
  const answer = ANSWERS[model];
  return answer ? answer(messages, seed) : null;
}
var lastUser = (messages) => messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
var ANSWERS = {
  [SIMULATED_MODELS.student]: (messages) => {
    const prompt = lastUser(messages);
    const t = ticketIn(prompt);
    return t ? summarize(prompt, t) : "The customer reports a problem.";
  },
  [SIMULATED_MODELS.judge]: (messages, seed) => {
    const request = lastUser(messages);
    const t = ticketIn(request);
    const summary = [...request.matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].at(-1)?.[1]?.trim() ?? "";
    if (!t) return JSON.stringify({ score: 0.5, critique: "The input quotes no ticket." });
    const truth = trueScore(t, summary);
    const wobble = unit("judge", t.number, summary, seed);
    const score = wobble < 0.08 ? Math.max(0, truth - 0.25) : wobble > 0.94 ? Math.min(1, truth + 0.25) : truth;
    const missing = relevantAspects(t).filter((a) => !statedAspects(t, summary).includes(a));
    const named = missing.length > 0 && unit("critique", t.number, summary) < 0.85;
    return JSON.stringify({
      score,
      critique: missing.length === 0 ? "Complete and concise." : named ? CRITIQUES[missing[Math.floor(unit("which", t.number, summary) * missing.length)]] : "The summary leaves out something the on-call engineer needs."
    });
  },
  [SIMULATED_MODELS.teacher]: (messages, seed) => {
    const request = lastUser(messages);
    const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(request)?.[1];
    if (template === void 0) return JSON.stringify({ template: "", rationale: "no template was given" });
    const asked = ASPECTS.filter((a) => request.includes(CRITIQUES[a]));
    const absent = (a) => !INSTRUCTION_PATTERNS[a].test(template);
    let adding = asked.filter((a) => absent(a) && unit("adopt", a, seed, request.length) < 0.8);
    if (adding.length === 0) {
      const candidates = ASPECTS.filter(absent);
      const guess = candidates[Math.floor(unit("guess", seed, request.length) * candidates.length)];
      adding = guess ? [guess] : [];
    }
    if (adding.length === 0)
      return JSON.stringify({ template, rationale: "the template already asks for everything" });
    return JSON.stringify({
      template: withInstructions(
        template,
        adding.map((a) => INSTRUCTIONS[a])
      ),
      rationale: `asked for ${adding.join(", ").replace(/_/g, " ")}, which ${asked.length > 0 ? "the critiques" : "the low scores"} point at`
    });
  }
};
function withInstructions(template, instructions) {
  const lines = template.split("\n");
  const firstPlaceholder = lines.findIndex((l) => l.includes("{{"));
  let at = firstPlaceholder === -1 ? lines.length : firstPlaceholder;
  while (at > 0 && lines[at - 1].trim() !== "" && /:\s*$/.test(lines[at - 1])) at--;
  while (at > 0 && lines[at - 1].trim() === "") at--;
  lines.splice(at, 0, ...instructions);
  return lines.join("\n");
}

// src/demo/repository.ts
var DEMO_TASK = "summarize_ticket";
var DEMO_PROMPT_PATH = "prompts/summarize_ticket.md";
var DEMO_FEEDBACK_FILE = "production-feedback.jsonl";
var FEEDBACK_ENTRIES = 120;
var DEMO_PROMPT = "You are a support engineer. Summarize the ticket below in one sentence.\n\nTicket:\n{{ticket}}\n";
var DEMO_REPOSITORY_FILES = {
  [`.kaizen/tasks/${DEMO_TASK}.yml`]: [
    "# A task of `kaizen demo`: its three models are SIMULATED, served on this machine (so free).",
    `name: ${DEMO_TASK}`,
    "description: Summarize a customer support ticket in one sentence for the on-call engineer.",
    `prompt_path: ${DEMO_PROMPT_PATH}`,
    "prompt_format: markdown",
    "feedback_threshold: 100",
    "cost_budget: 1.00",
    `teacher_model: ${SIMULATED_MODELS.teacher}`,
    `judge_model: ${SIMULATED_MODELS.judge}`,
    `student_model: ${SIMULATED_MODELS.student}`,
    ""
  ].join("\n"),
  [DEMO_PROMPT_PATH]: DEMO_PROMPT
};
function demoFeedbackJsonl() {
  return tickets(FEEDBACK_ENTRIES).map((t) => {
    const output = summarize(DEMO_PROMPT.replace("{{ticket}}", t.text), t);
    const truth = trueScore(t, output);
    const noise = unit("person", t.number);
    const score = noise < 0.05 ? Math.max(0, truth - 0.25) : noise > 0.95 ? Math.min(1, truth + 0.25) : truth;
    return JSON.stringify({
      task_id: DEMO_TASK,
      inputs: { ticket: t.text },
      output,
      score,
      source: "support-lead",
      metadata: { ticket: t.number }
    });
  }).join("\n").concat("\n");
}

// src/cli/commands/demo.ts
var demoCommand = {
  usage: `Usage: kaizen demo [--dir DIR]

Makes a demo git repository with one prompt and its task, imports a production log of that
prompt (summaries of support tickets, each scored by a person), runs the optimizer against a
SIMULATED model served inside this process (no API key, no network, no cost), and leaves the
better prompt on the branch kaizen/summarize_ticket with the report. Then says what to do next.

Options:
  --dir DIR   where to make the demo repository (a new, empty directory; default: a temporary one)

Example:
  kaizen demo
  kaizen demo --dir ./kaizen-demo && git -C ./kaizen-demo log --oneline kaizen/summarize_ticket`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { dir: { type: "string" } });
    const paint = painter(io);
    const say = (text) => io.stdout.write(`${text}
`);
    const dir = values.dir ? path.resolve(io.cwd, values.dir) : await mkdtemp(path.join(tmpdir(), "kaizen-demo-"));
    if (values.dir && existsSync(dir) && (await readdir(dir)).length > 0)
      throw new CliUsageError(`--dir ${values.dir} is not empty: give a new or empty directory`);
    say(`${paint("bold", "Kaizen demo")}: a prompt tuned from its production feedback, start to end.`);
    say(
      `The model is ${paint("yellow", "SIMULATED")}: it runs inside this command (no key, no network, no cost).
`
    );
    await initRepository(dir, DEMO_REPOSITORY_FILES);
    say(`${paint("bold", "1. A repository with a prompt")}: ${dir}`);
    say(`   ${DEMO_PROMPT_PATH}: the prompt an app uses today`);
    say(`   .kaizen/tasks/${DEMO_TASK}.yml: its task (models, budget, threshold)
`);
    await writeFile(path.join(dir, DEMO_FEEDBACK_FILE), demoFeedbackJsonl());
    say(`${paint("bold", "2. Production feedback")}: the prompt's summaries of 120 support tickets,`);
    say(`   each scored by a person (${DEMO_FEEDBACK_FILE}), imported to kaizen/data:`);
    const imported = await feedbackCommand.run(
      ["import", DEMO_FEEDBACK_FILE, "--task", DEMO_TASK, "--repo", dir],
      {
        ...io,
        cwd: dir
      }
    );
    if (imported !== 0) return imported;
    const model = await startSimulatedModel();
    const cacheDir = await mkdtemp(path.join(tmpdir(), "kaizen-demo-cache-"));
    try {
      say(
        `
${paint("bold", "3. The optimizer")}, with a ${paint("yellow", "simulated")} teacher, judge and student`
      );
      say(`   (an OpenAI-compatible server at ${model.baseURL}):`);
      const optimized = await optimizeCommand.run(
        ["--task", DEMO_TASK, "--repo", dir, "--seed", "kaizen-demo"],
        simulatedIo(io, model.baseURL, cacheDir)
      );
      if (optimized !== 0) return optimized;
    } finally {
      await model.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
    const branch = `kaizen/${DEMO_TASK}`;
    const better = await git(dir, "show", `${branch}:${DEMO_PROMPT_PATH}`).catch(() => null);
    if (better === null) say(`
No better prompt this time: the report above says why.`);
    else {
      say(
        `
${paint("bold", "4. The better prompt")}, ${DEMO_PROMPT_PATH} on branch ${paint("bold", branch)}:`
      );
      say(better.trimEnd().replace(/^/gm, "   "));
    }
    say(nextSteps(dir, paint));
    return 0;
  }
};
function simulatedIo(io, baseURL, cacheDir) {
  return {
    ...io,
    env: { ...io.env, OPENAI_API_KEY: "simulated", OPENAI_BASE_URL: baseURL, XDG_CACHE_HOME: cacheDir }
  };
}
async function git(cwd, ...args) {
  return (await promisify(execFile)("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 })).stdout;
}
function nextSteps(dir, paint) {
  return [
    "",
    paint("bold", "Next, with your own repository:"),
    "  1. install Kaizen in it (README: Install it in your own project), then:",
    "       npx kaizen init",
    "  2. import what your prompt did in production:",
    "       npx kaizen feedback import FILE.jsonl --task NAME",
    "  3. optimize it with your own models:",
    "       OPENAI_API_KEY=\u2026 npx kaizen optimize --task NAME",
    "  4. let GitHub run it on a schedule: the Action, then the App (docs/quickstart.md)",
    "",
    "The demo repository stays, to look around in:",
    `  npx kaizen status --repo ${dir}`,
    `  git -C ${dir} log --oneline --all`,
    ""
  ].join("\n");
}
export {
  demoCommand
};
