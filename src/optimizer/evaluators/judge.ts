/**
 * The `llm_judge` evaluator: the judge model scores an output in [0, 1] against the rubric, the
 * task's description and a few high- and low-scored examples of the feedback, and says why.
 * Every piece of feedback text is quoted as data inside delimited blocks, never followed (the
 * request itself is built in prompts.ts).
 */
import type { Example } from "../dataset.js";
import { extractJson } from "../llm/model-params.js";
import type { LlmGateway } from "../llm/types.js";
import { judgeContext, judgeMessages, VERDICT_SCHEMA, type JudgeContextOptions } from "../prompts.js";

export interface Verdict {
  score: number;
  critique: string;
  /** False when the answer held no readable score (it then scores 0). */
  readable: boolean;
}

export class LlmJudge {
  #gateway: LlmGateway;
  #model: string;
  #context: string;
  /** Answers judged, and those that could not be read. */
  readonly answers = { total: 0, unreadable: 0 };

  constructor(gateway: LlmGateway, model: string, options: JudgeContextOptions) {
    this.#gateway = gateway;
    this.#model = model;
    this.#context = judgeContext(options);
  }

  async judge(example: Example, output: string, attempt = 0): Promise<Verdict> {
    const result = await this.#gateway.complete({
      role: "judge",
      model: this.#model,
      temperature: 0,
      schema: VERDICT_SCHEMA,
      maxTokens: 200,
      // A new attempt is a new request (and a new cache entry): how the judge's noise is measured.
      ...(attempt > 0 ? { seed: attempt } : {}),
      messages: judgeMessages(this.#context, example, output),
    });
    const verdict = parseVerdict(result.text);
    this.answers.total++;
    if (!verdict.readable) this.answers.unreadable++;
    return verdict;
  }
}

/** Reads the judge's JSON (whole, fenced or in prose) leniently; an unreadable answer scores 0 and says so. */
export function parseVerdict(text: string): Verdict {
  const parsed = extractJson(text);
  const score = Number(parsed?.score);
  if (parsed && parsed.score !== null && parsed.score !== "" && Number.isFinite(score))
    return {
      score: Math.min(1, Math.max(0, score)),
      critique: typeof parsed.critique === "string" ? parsed.critique : "",
      readable: true,
    };
  const number = /"?score"?\s*[:=]\s*([0-9.]+)/i.exec(text);
  if (number && Number.isFinite(Number(number[1])))
    return {
      score: Math.min(1, Math.max(0, Number(number[1]))),
      critique: text.slice(0, 300),
      readable: true,
    };
  return {
    score: 0,
    critique: `the judge's answer could not be read: ${text.slice(0, 120)}`,
    readable: false,
  };
}
