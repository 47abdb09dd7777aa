/**
 * Scoring an output: the evaluators of `evaluator_config` (default: one `llm_judge`), combined
 * into one score in [0, 1] by their weights. An evaluator that cannot score an example (no
 * reference answer to compare with) is left out of that example's weighted mean.
 */
import type { EvaluatorSpec, TaskConfig } from "../../core/task-config-schema.js";
import type { Example } from "../dataset.js";
import type { LlmGateway } from "../llm/types.js";
import { deterministicScore } from "./deterministic.js";
import { LlmJudge } from "./judge.js";

export interface Evaluation {
  score: number;
  /** The judge's critique, for reflection; null without a judge. */
  critique: string | null;
  details: { type: EvaluatorSpec["type"]; score: number | null; weight: number; reason: string | null }[];
}

export interface Evaluator {
  readonly usesJudge: boolean;
  /** What scores outputs, for the plan and the report: `exact_match`, `llm_judge (weight 2) + regex`. */
  readonly name: string;
  /** The judge's answers so far and how many could not be read; absent without a judge. */
  readonly judgeAnswers?: { readonly total: number; readonly unreadable: number };
  /** @param attempt a different attempt re-asks the judge (to measure its noise) */
  evaluate(example: Example, output: string, attempt?: number): Promise<Evaluation>;
}

type EvaluatorSettings = Pick<TaskConfig, "evaluator_config">;

/** The task's evaluators: one `llm_judge` when it names none. */
export function evaluatorSpecs(config: EvaluatorSettings): EvaluatorSpec[] {
  return config.evaluator_config?.evaluators ?? [{ type: "llm_judge", weight: 1 }];
}

/** Whether scoring calls the judge model (and so whether judge calls are planned and paid). */
export function usesJudge(config: EvaluatorSettings): boolean {
  return evaluatorSpecs(config).some((s) => s.type === "llm_judge");
}

/** @example describeEvaluator({ evaluator_config: { evaluators: [{ type: "exact_match", ... }] } }) // "exact_match" */
export function describeEvaluator(config: EvaluatorSettings): string {
  const specs = evaluatorSpecs(config);
  return specs.map((s) => (specs.length > 1 ? `${s.type} (weight ${s.weight})` : s.type)).join(" + ");
}

/** The rubric the judge scores by: its own, else the evaluator_config's; null for the default. */
export function judgeRubric(config: EvaluatorSettings): string | null {
  const judgeSpec = evaluatorSpecs(config).find((s) => s.type === "llm_judge");
  return (
    (judgeSpec?.type === "llm_judge" ? judgeSpec.rubric : undefined) ??
    config.evaluator_config?.rubric ??
    null
  );
}

export function buildEvaluator(
  config: TaskConfig,
  gateway: LlmGateway,
  judgeModel: string,
  anchors: readonly Example[],
): Evaluator {
  const specs = evaluatorSpecs(config);
  const judgeSpec = specs.find((s) => s.type === "llm_judge");
  const judge = judgeSpec
    ? new LlmJudge(gateway, judgeModel, {
        rubric: judgeRubric(config),
        description: config.description,
        anchors,
      })
    : null;
  return {
    usesJudge: judge !== null,
    name: describeEvaluator(config),
    ...(judge ? { judgeAnswers: judge.answers } : {}),
    async evaluate(example, output, attempt = 0) {
      const details: Evaluation["details"] = [];
      let critique: string | null = null;
      for (const spec of specs) {
        if (spec.type === "llm_judge") {
          const verdict = await judge!.judge(example, output, attempt);
          critique = verdict.critique;
          details.push({
            type: spec.type,
            score: verdict.score,
            weight: spec.weight,
            reason: verdict.critique,
          });
        } else {
          const { score, reason } = deterministicScore(spec, example, output, config.task_schema);
          details.push({ type: spec.type, score, weight: spec.weight, reason });
        }
      }
      const scored = details.filter((d) => d.score !== null);
      const weight = scored.reduce((s, d) => s + d.weight, 0);
      const score = weight === 0 ? 0 : scored.reduce((s, d) => s + d.score! * d.weight, 0) / weight;
      return {
        score,
        critique:
          critique ??
          (scored
            .filter((d) => d.reason)
            .map((d) => `${d.type}: ${d.reason}`)
            .join("; ") ||
            null),
        details,
      };
    },
  };
}

/** For `chain_of_thought`: the answer after the last `Answer:`; only it is scored. */
export function finalAnswer(output: string): string {
  const index = output.toLowerCase().lastIndexOf("answer:");
  return index === -1 ? output.trim() : output.slice(index + "answer:".length).trim();
}
