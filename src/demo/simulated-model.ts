/**
 * The SIMULATED model of `kaizen demo`: an OpenAI-compatible HTTP server on 127.0.0.1, inside
 * the demo's own process, so that the demo runs Kaizen's real code path (the gateway, the real
 * `openai` SDK, HTTP) with no key and no network. It is not a language model: three simulated
 * models answer from the ticket world of ./tickets.ts. Nothing but `kaizen demo` starts it.
 *
 * - `simulated-student` summarizes the ticket its prompt quotes, stating what the prompt asks for;
 * - `simulated-judge` scores a summary as people would, with a little noise, and names one thing
 *   it lacks in its critique;
 * - `simulated-teacher` adds to the template the instructions that critiques asked for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ASPECTS,
  CRITIQUES,
  INSTRUCTIONS,
  INSTRUCTION_PATTERNS,
  relevantAspects,
  statedAspects,
  summarize,
  ticketIn,
  trueScore,
  unit,
  type Aspect,
} from "./tickets.js";

export const SIMULATED_MODELS = {
  teacher: "simulated-teacher",
  judge: "simulated-judge",
  student: "simulated-student",
} as const;

interface ChatBody {
  model?: unknown;
  messages?: { role?: unknown; content?: unknown }[];
  seed?: unknown;
}

export interface SimulatedModelServer {
  /** The `baseURL` for the openai SDK (OPENAI_BASE_URL). */
  baseURL: string;
  /** Requests answered, by model. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

/** Starts the simulated model on a free port of 127.0.0.1. */
export async function startSimulatedModel(): Promise<SimulatedModelServer> {
  const calls = new Map<string, number>();
  const server = createServer((req, res) => void handle(req, res, calls));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, calls: Map<string, number>): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const url = new URL(req.url ?? "/", "http://simulated");
  if (req.method === "GET" && url.pathname === "/v1/models")
    return send(200, {
      object: "list",
      data: Object.values(SIMULATED_MODELS).map((id) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "kaizen",
      })),
    });
  if (req.method !== "POST" || url.pathname !== "/v1/chat/completions")
    return send(404, { error: { message: `the simulated model serves only /v1/chat/completions` } });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: ChatBody;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody;
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
        code: "model_not_found",
      },
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
      total_tokens: promptTokens + completionTokens,
    },
  });
}

type Answer = (messages: { role: string; content: string }[], seed: number) => string;

/** What a simulated model answers to a chat request; null for a model that is not simulated. */
export function simulatedAnswer(
  model: string,
  messages: { role: string; content: string }[],
  seed = 0,
): string | null {
  const answer = ANSWERS[model];
  return answer ? answer(messages, seed) : null;
}

const lastUser = (messages: { role: string; content: string }[]) =>
  messages.filter((m) => m.role === "user").at(-1)?.content ?? "";

const ANSWERS: Readonly<Record<string, Answer>> = {
  [SIMULATED_MODELS.student]: (messages) => {
    const prompt = lastUser(messages);
    const t = ticketIn(prompt);
    return t ? summarize(prompt, t) : "The customer reports a problem.";
  },

  [SIMULATED_MODELS.judge]: (messages, seed) => {
    const request = lastUser(messages);
    // The case to judge comes last: its input quotes the ticket, its output is the last data block.
    const t = ticketIn(request);
    const summary = [...request.matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].at(-1)?.[1]?.trim() ?? "";
    if (!t) return JSON.stringify({ score: 0.5, critique: "The input quotes no ticket." });
    const truth = trueScore(t, summary);
    const wobble = unit("judge", t.number, summary, seed);
    const score =
      wobble < 0.08 ? Math.max(0, truth - 0.25) : wobble > 0.94 ? Math.min(1, truth + 0.25) : truth;
    const missing = relevantAspects(t).filter((a) => !statedAspects(t, summary).includes(a));
    const named = missing.length > 0 && unit("critique", t.number, summary) < 0.85;
    return JSON.stringify({
      score,
      critique:
        missing.length === 0
          ? "Complete and concise."
          : named
            ? CRITIQUES[missing[Math.floor(unit("which", t.number, summary) * missing.length)]!]
            : "The summary leaves out something the on-call engineer needs.",
    });
  },

  [SIMULATED_MODELS.teacher]: (messages, seed) => {
    const request = lastUser(messages);
    const template = /<template>\n([\s\S]*?)\n<\/template>/.exec(request)?.[1];
    if (template === undefined) return JSON.stringify({ template: "", rationale: "no template was given" });
    const asked = ASPECTS.filter((a) => request.includes(CRITIQUES[a]));
    const absent = (a: Aspect) => !INSTRUCTION_PATTERNS[a].test(template);
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
        adding.map((a) => INSTRUCTIONS[a]),
      ),
      rationale: `asked for ${adding.join(", ").replace(/_/g, " ")}, which ${asked.length > 0 ? "the critiques" : "the low scores"} point at`,
    });
  },
};

/** The template with instructions added after its opening lines, before the quoted input. */
function withInstructions(template: string, instructions: string[]): string {
  const lines = template.split("\n");
  const firstPlaceholder = lines.findIndex((l) => l.includes("{{"));
  // Before the block that introduces the input (e.g. "Ticket:" and "{{ticket}}"), after the rest.
  let at = firstPlaceholder === -1 ? lines.length : firstPlaceholder;
  while (at > 0 && lines[at - 1]!.trim() !== "" && /:\s*$/.test(lines[at - 1]!)) at--;
  while (at > 0 && lines[at - 1]!.trim() === "") at--;
  lines.splice(at, 0, ...instructions);
  return lines.join("\n");
}
