/**
 * `instrument(openai, { client })`: records every `chat.completions.create` and
 * `responses.create` as a Kaizen trace (prompt, response, model, tokens, latency, the calling
 * file and line), without changing the request or the objects returned: `.withResponse()`,
 * `.asResponse()` and streams keep working, other methods are untouched. The response gets a
 * `ct_trace_id` for a later `score`. Recording never fails or slows the call: traces go to the
 * client's background queue, and when Kaizen is down they are dropped with a counted warning.
 */
import type { KaizenClient } from "./client.js";
import { uuidv7 } from "./ids.js";

export interface InstrumentOptions {
  client: KaizenClient;
  /** The task every call is for; otherwise the task whose prompt (from getPrompt) the call sends. */
  task?: string;
}

type AnyFunction = (...args: unknown[]) => unknown;

type CallSite = {
  getFileName(): string | null;
  getLineNumber(): number | null;
  getFunctionName(): string | null;
};
type V8Error = ErrorConstructor & {
  prepareStackTrace?: (error: Error, frames: CallSite[]) => unknown;
  stackTraceLimit: number;
};

/**
 * The frame that called the wrapped `create`: the one right after the wrapper's own frame.
 * Read through V8's structured call sites where the runtime has them: formatting a stack as
 * text (with source maps) costs far more than the rest of instrument() together.
 */
function callSite(): { file: string | null; line: number | null } {
  const V8 = Error as V8Error;
  // A hook V8 calls as a plain function: it is saved and put back, never called through `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const previous = V8.prepareStackTrace;
  try {
    V8.prepareStackTrace = (_error, frames) => frames;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callSite);
    const frames = holder.stack;
    if (Array.isArray(frames)) {
      const at = (frames as CallSite[]).findIndex((f) => f.getFunctionName() === WRAPPER_NAME);
      const frame = at === -1 ? undefined : (frames as CallSite[])[at + 1];
      return {
        file: frame?.getFileName()?.replace(/^file:\/\//, "") ?? null,
        line: frame?.getLineNumber() ?? null,
      };
    }
  } catch {
    // Not V8: fall through to the text stack.
  } finally {
    V8.prepareStackTrace = previous;
  }
  const stack = new Error().stack?.split("\n") ?? [];
  const wrapper = stack.findIndex((frame) => frame.includes(WRAPPER_NAME));
  const frame = wrapper === -1 ? undefined : stack[wrapper + 1];
  const match = frame ? /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?$/.exec(frame.trim()) : null;
  return match
    ? { file: match[1]!.replace(/^file:\/\//, ""), line: Number(match[2]) }
    : { file: null, line: null };
}

const WRAPPER_NAME = "kaizenInstrumentedCreate";

function promptTextOf(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages))
    return (body.messages as { content?: unknown }[])
      .map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
      .join("\n");
  return [body.instructions, typeof body.input === "string" ? body.input : JSON.stringify(body.input ?? "")]
    .filter(Boolean)
    .join("\n");
}

/**
 * The version whose template this prompt fills; when several match (a candidate that adds words
 * to the active template matches both), the one with the most literal text, the most specific.
 */
function versionFor(options: InstrumentOptions, prompt: string): string | null {
  let best: { id: string; literal: number } | null = null;
  for (const [text, id] of options.client.promptVersions) {
    if (!templateMatches(text, prompt)) continue;
    const literal = text.replace(/\{\{[^{}]*\}\}/g, "").trim().length;
    if (!best || literal > best.literal) best = { id, literal };
  }
  return best?.id ?? null;
}

/** Clients already told that a call matched no task: the warning is said once per client. */
const warnedClients = new WeakSet<object>();

function taskFor(options: InstrumentOptions, prompt: string): string | null {
  if (options.task) return options.task;
  for (const [text, task] of options.client.promptTasks) if (templateMatches(text, prompt)) return task;
  return null;
}

/**
 * Whether `prompt` is `template` with its placeholders filled: every literal piece of the
 * template appears in the prompt, in order. A template with no literal text at all (only
 * placeholders) matches nothing: the empty string is in every prompt, so it cannot say which
 * task a call is for.
 *
 * @example templateMatches("{{ticket}}\n\nSummarize it.", "Login fails\n\nSummarize it.") // true
 */
export function templateMatches(template: string, prompt: string): boolean {
  const pieces = template
    .split(/\{\{[^{}]*\}\}/)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== "");
  if (pieces.length === 0) return false;
  let from = 0;
  for (const piece of pieces) {
    const at = prompt.indexOf(piece, from);
    if (at === -1) return false;
    from = at + piece.length;
  }
  return true;
}

/**
 * @example
 * const openai = instrument(new OpenAI(), { client: kaizen, task: "summarize_ticket" });
 * const reply = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
 * await kaizen.score(reply.ct_trace_id, 0.9, "human-review");
 */
export function instrument<T extends object>(openai: T, options: InstrumentOptions): T {
  const wrapCreate = (create: AnyFunction, target: object, kind: "chat" | "responses") =>
    // The name finds this frame in the stack, so the caller's file and line come right after it.
    function kaizenInstrumentedCreate(this: unknown, ...args: unknown[]) {
      const body = (args[0] ?? {}) as Record<string, unknown>;
      const started = performance.now();
      const site = callSite();
      const traceId = uuidv7();
      const prompt = promptTextOf(body);
      // A call that matches no task is not recorded, so its response gets no ct_trace_id: an id
      // that was never stored would answer 404 to the score() that follows.
      const recorded = taskFor(options, prompt) !== null;
      if (!recorded && !warnedClients.has(options.client)) {
        warnedClients.add(options.client);
        options.client.warn(
          "instrument(): a call whose prompt matches no task is not recorded and gets no ct_trace_id; name its task with instrument(openai, { task }), or fetch its prompt with getPrompt() first (said once)",
        );
      }
      const record = (responseText: string, tokens: number | null) => {
        try {
          const task = taskFor(options, prompt);
          if (!task) return;
          options.client.recordTrace({
            id: traceId,
            task_id: task,
            prompt_text: prompt,
            response_text: responseText,
            model: typeof body.model === "string" ? body.model : "",
            tokens,
            latency_ms: Math.round(performance.now() - started),
            source_file: site.file,
            source_line: site.line,
            source_variable: null,
            prompt_version_id: versionFor(options, prompt),
          });
        } catch {
          // Recording must never break the app's call.
        }
      };
      const result = create.apply(target, args) as Promise<unknown> & { then: Promise<unknown>["then"] };
      // The SDK returns an APIPromise with .withResponse()/.asResponse(): observe it, return it as it is.
      void Promise.resolve(result).then(
        (value) => {
          if (value && typeof value === "object" && Symbol.asyncIterator in value)
            return observeStream(
              value as AsyncIterable<unknown> & object,
              kind,
              record,
              recorded ? traceId : null,
            );
          const v = value as Record<string, unknown> & {
            choices?: { message?: { content?: string } }[];
            usage?: { total_tokens?: number };
            output_text?: string;
          };
          try {
            if (recorded)
              Object.defineProperty(v, "ct_trace_id", {
                value: traceId,
                enumerable: false,
                configurable: true,
              });
          } catch {
            // A frozen object keeps no id; the trace is still recorded.
          }
          record(
            kind === "chat" ? (v.choices?.[0]?.message?.content ?? "") : (v.output_text ?? ""),
            v.usage?.total_tokens ?? null,
          );
        },
        () => {},
      );
      return result;
    };

  const proxy = (target: object, path: string[]): object =>
    new Proxy(target, {
      get(obj, property, receiver) {
        const value = Reflect.get(obj, property, receiver) as unknown;
        const at = [...path, String(property)];
        if (
          typeof value === "function" &&
          property === "create" &&
          (at.join(".") === "chat.completions.create" || at.join(".") === "responses.create")
        ) {
          return wrapCreate(value as AnyFunction, obj, at[0] === "chat" ? "chat" : "responses");
        }
        if (
          value &&
          typeof value === "object" &&
          (at.join(".") === "chat" || at.join(".") === "chat.completions" || at.join(".") === "responses")
        )
          return proxy(value, at);
        return value;
      },
    });
  return proxy(openai, []) as T;
}

/** Streams are recorded when they end; the app reads the same stream object it asked for. */
function observeStream(
  stream: AsyncIterable<unknown> & object,
  kind: "chat" | "responses",
  record: (text: string, tokens: number | null) => void,
  traceId: string | null,
): void {
  try {
    if (traceId !== null)
      Object.defineProperty(stream, "ct_trace_id", { value: traceId, enumerable: false, configurable: true });
  } catch {
    // ignore
  }
  const original = (stream as { [Symbol.asyncIterator]: () => AsyncIterator<unknown> })[
    Symbol.asyncIterator
  ].bind(stream);
  let text = "";
  let tokens: number | null = null;
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    value: () => {
      const iterator = original();
      return {
        async next() {
          const step = await iterator.next();
          if (step.done) record(text, tokens);
          else {
            const chunk = step.value as {
              choices?: { delta?: { content?: string } }[];
              usage?: { total_tokens?: number };
              delta?: string;
              type?: string;
            };
            text +=
              kind === "chat"
                ? (chunk.choices?.[0]?.delta?.content ?? "")
                : chunk.type === "response.output_text.delta"
                  ? (chunk.delta ?? "")
                  : "";
            if (chunk.usage?.total_tokens) tokens = chunk.usage.total_tokens;
          }
          return step;
        },
        return: iterator.return?.bind(iterator),
      };
    },
  });
}
