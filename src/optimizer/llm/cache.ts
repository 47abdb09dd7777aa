/**
 * The content-addressed response cache: the answer to a request is stored under a hash of
 * everything that determines it (model, messages, temperature, seed, token limit, JSON mode),
 * in memory and in a directory of files, so a re-run of the same job (another process, a later
 * Action run with the directory restored) pays nothing it already paid for.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { CompletionRequest, Usage } from "./types.js";

export interface CachedAnswer {
  text: string;
  usage: Usage;
}

/** `$XDG_CACHE_HOME/kaizen/llm`, else `~/.cache/kaizen/llm`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "kaizen", "llm");
}

export function cacheKey(request: CompletionRequest): string {
  const identity = {
    model: request.model,
    messages: request.messages.map((m) => [m.role, m.content]),
    temperature: request.temperature ?? null,
    seed: request.seed ?? null,
    maxTokens: request.maxTokens,
    json: request.json ?? false,
    ...(request.schema ? { schema: request.schema } : {}),
  };
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

export class ResponseCache {
  readonly dir: string | null;
  #memory = new Map<string, CachedAnswer>();

  /** @param dir where answers persist; null keeps them in memory only */
  constructor(dir: string | null) {
    this.dir = dir;
  }

  #file(key: string): string {
    return path.join(this.dir!, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<CachedAnswer | null> {
    const hit = this.#memory.get(key);
    if (hit) return hit;
    if (!this.dir) return null;
    try {
      const parsed = JSON.parse(await readFile(this.#file(key), "utf8")) as CachedAnswer;
      if (typeof parsed.text !== "string" || typeof parsed.usage?.promptTokens !== "number") return null;
      this.#memory.set(key, parsed);
      return parsed;
    } catch {
      // Missing or corrupt: a miss, and the next answer overwrites it.
      return null;
    }
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    this.#memory.set(key, answer);
    if (!this.dir) return;
    const file = this.#file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, JSON.stringify(answer));
    await rename(temporary, file);
  }
}
