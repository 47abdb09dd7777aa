/**
 * The configuration of a task: what people write in `.kaizen/tasks/<name>.yml` and what
 * `POST /api/v1/tasks` accepts. The seeds' Task fields that are configuration, plus
 * `student_model` (the model the prompt runs on) and `model_prices` (a task's own price table).
 */
import { z } from "zod";
/** Task names become path segments on the data branch and branch names (`kaizen/<name>`). */
export declare const TASK_NAME_PATTERN: RegExp;
export declare const TaskName: z.ZodString;
/** Where a task's own file lives on the default branch: `.kaizen/tasks/<name>.yml`. */
export declare const TASK_FILE: RegExp;
export declare const PROMPT_FORMATS: readonly ["text", "markdown", "json", "yaml", "python", "typescript"];
export declare const PromptFormat: z.ZodEnum<{
    text: "text";
    markdown: "markdown";
    json: "json";
    yaml: "yaml";
    python: "python";
    typescript: "typescript";
}>;
export type PromptFormat = z.infer<typeof PromptFormat>;
export declare const MODULE_TYPES: readonly ["predict", "chain_of_thought"];
/**
 * Why a prompt path is refused, or null when it is fine. The optimizer writes to this path
 * with a token that can push, and the API writes it for a client: it must stay inside the
 * repository, pass git's checks on every platform, and keep away from git's own files, CI
 * definitions and Kaizen's configuration (the rules live in git-paths.ts).
 */
export declare function promptPathProblem(path: string): string | null;
export declare const PromptPath: z.ZodString;
/** One scoring method; several combine into a weighted mean. */
export declare const EvaluatorSpec: z.ZodDiscriminatedUnion<[z.ZodObject<{
    type: z.ZodLiteral<"llm_judge">;
    weight: z.ZodDefault<z.ZodNumber>;
    rubric: z.ZodOptional<z.ZodString>;
}, z.core.$strip>, z.ZodObject<{
    type: z.ZodLiteral<"exact_match">;
    weight: z.ZodDefault<z.ZodNumber>;
    case_sensitive: z.ZodDefault<z.ZodBoolean>;
    trim: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strip>, z.ZodObject<{
    type: z.ZodLiteral<"contains">;
    weight: z.ZodDefault<z.ZodNumber>;
    value: z.ZodOptional<z.ZodString>;
    case_sensitive: z.ZodDefault<z.ZodBoolean>;
}, z.core.$strip>, z.ZodObject<{
    type: z.ZodLiteral<"regex">;
    weight: z.ZodDefault<z.ZodNumber>;
    pattern: z.ZodString;
    flags: z.ZodDefault<z.ZodString>;
}, z.core.$strip>, z.ZodObject<{
    type: z.ZodLiteral<"json_schema">;
    weight: z.ZodDefault<z.ZodNumber>;
    schema: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>>;
}, z.core.$strip>], "type">;
export type EvaluatorSpec = z.infer<typeof EvaluatorSpec>;
export declare const EvaluatorConfig: z.ZodObject<{
    rubric: z.ZodOptional<z.ZodString>;
    evaluators: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
        type: z.ZodLiteral<"llm_judge">;
        weight: z.ZodDefault<z.ZodNumber>;
        rubric: z.ZodOptional<z.ZodString>;
    }, z.core.$strip>, z.ZodObject<{
        type: z.ZodLiteral<"exact_match">;
        weight: z.ZodDefault<z.ZodNumber>;
        case_sensitive: z.ZodDefault<z.ZodBoolean>;
        trim: z.ZodDefault<z.ZodBoolean>;
    }, z.core.$strip>, z.ZodObject<{
        type: z.ZodLiteral<"contains">;
        weight: z.ZodDefault<z.ZodNumber>;
        value: z.ZodOptional<z.ZodString>;
        case_sensitive: z.ZodDefault<z.ZodBoolean>;
    }, z.core.$strip>, z.ZodObject<{
        type: z.ZodLiteral<"regex">;
        weight: z.ZodDefault<z.ZodNumber>;
        pattern: z.ZodString;
        flags: z.ZodDefault<z.ZodString>;
    }, z.core.$strip>, z.ZodObject<{
        type: z.ZodLiteral<"json_schema">;
        weight: z.ZodDefault<z.ZodNumber>;
        schema: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>>;
    }, z.core.$strip>], "type">>>;
}, z.core.$strip>;
export type EvaluatorConfig = z.infer<typeof EvaluatorConfig>;
/**
 * What people write for one evaluator, `evaluator_config: {type: exact_match}`, is shorthand for
 * a list of one (a `rubric` beside it stays the config's rubric); a bare list is the list.
 * @example expandEvaluatorShorthand({ type: "exact_match" }) // { evaluators: [{ type: "exact_match" }] }
 */
export declare function expandEvaluatorShorthand(value: unknown): unknown;
export declare const ModelPrice: z.ZodObject<{
    input_per_mtok: z.ZodNumber;
    output_per_mtok: z.ZodNumber;
}, z.core.$strip>;
export declare const CANARY_PROMOTE: readonly ["manual", "auto"];
/**
 * The online canary between the pull request and the merge: `share` of production units get the
 * candidate, and an always-valid sequential test over both arms' scores decides.
 */
export declare const CanaryConfig: z.ZodObject<{
    share: z.ZodDefault<z.ZodNumber>;
    min_samples: z.ZodDefault<z.ZodNumber>;
    max_loss: z.ZodDefault<z.ZodNumber>;
    promote: z.ZodDefault<z.ZodEnum<{
        manual: "manual";
        auto: "auto";
    }>>;
}, z.core.$strip>;
export type CanaryConfig = z.infer<typeof CanaryConfig>;
/** The fields of a task's configuration, shared by the YAML file and the API's Task. */
export declare const TaskConfigFields: {
    name: z.ZodString;
    description: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    task_schema: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    feedback_threshold: z.ZodDefault<z.ZodNumber>;
    feedback_retention_limit: z.ZodDefault<z.ZodNumber>;
    evaluator_config: z.ZodDefault<z.ZodPreprocess<z.ZodNullable<z.ZodObject<{
        rubric: z.ZodOptional<z.ZodString>;
        evaluators: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
            type: z.ZodLiteral<"llm_judge">;
            weight: z.ZodDefault<z.ZodNumber>;
            rubric: z.ZodOptional<z.ZodString>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"exact_match">;
            weight: z.ZodDefault<z.ZodNumber>;
            case_sensitive: z.ZodDefault<z.ZodBoolean>;
            trim: z.ZodDefault<z.ZodBoolean>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"contains">;
            weight: z.ZodDefault<z.ZodNumber>;
            value: z.ZodOptional<z.ZodString>;
            case_sensitive: z.ZodDefault<z.ZodBoolean>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"regex">;
            weight: z.ZodDefault<z.ZodNumber>;
            pattern: z.ZodString;
            flags: z.ZodDefault<z.ZodString>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"json_schema">;
            weight: z.ZodDefault<z.ZodNumber>;
            schema: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>>;
        }, z.core.$strip>], "type">>>;
    }, z.core.$strip>>, unknown>>;
    teacher_model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    judge_model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    student_model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    module_type: z.ZodDefault<z.ZodEnum<{
        predict: "predict";
        chain_of_thought: "chain_of_thought";
    }>>;
    demonstrations: z.ZodDefault<z.ZodNullable<z.ZodUnion<readonly [z.ZodLiteral<false>, z.ZodObject<{
        max: z.ZodNumber;
    }, z.core.$strict>]>>>;
    cost_budget: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    github_repo: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    github_base_branch: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    prompt_path: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    prompt_format: z.ZodDefault<z.ZodNullable<z.ZodEnum<{
        text: "text";
        markdown: "markdown";
        json: "json";
        yaml: "yaml";
        python: "python";
        typescript: "typescript";
    }>>>;
    model_prices: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodObject<{
        input_per_mtok: z.ZodNumber;
        output_per_mtok: z.ZodNumber;
    }, z.core.$strip>>>>;
    canary: z.ZodDefault<z.ZodNullable<z.ZodObject<{
        share: z.ZodDefault<z.ZodNumber>;
        min_samples: z.ZodDefault<z.ZodNumber>;
        max_loss: z.ZodDefault<z.ZodNumber>;
        promote: z.ZodDefault<z.ZodEnum<{
            manual: "manual";
            auto: "auto";
        }>>;
    }, z.core.$strip>>>;
};
/** Other spellings accepted for a field: the seeds' API calls `task_schema` `schema_json`. */
export declare const TASK_CONFIG_ALIASES: Readonly<Record<string, keyof typeof TaskConfigFields>>;
export declare const TaskConfig: z.ZodObject<{
    name: z.ZodString;
    description: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    task_schema: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    feedback_threshold: z.ZodDefault<z.ZodNumber>;
    feedback_retention_limit: z.ZodDefault<z.ZodNumber>;
    evaluator_config: z.ZodDefault<z.ZodPreprocess<z.ZodNullable<z.ZodObject<{
        rubric: z.ZodOptional<z.ZodString>;
        evaluators: z.ZodDefault<z.ZodArray<z.ZodDiscriminatedUnion<[z.ZodObject<{
            type: z.ZodLiteral<"llm_judge">;
            weight: z.ZodDefault<z.ZodNumber>;
            rubric: z.ZodOptional<z.ZodString>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"exact_match">;
            weight: z.ZodDefault<z.ZodNumber>;
            case_sensitive: z.ZodDefault<z.ZodBoolean>;
            trim: z.ZodDefault<z.ZodBoolean>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"contains">;
            weight: z.ZodDefault<z.ZodNumber>;
            value: z.ZodOptional<z.ZodString>;
            case_sensitive: z.ZodDefault<z.ZodBoolean>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"regex">;
            weight: z.ZodDefault<z.ZodNumber>;
            pattern: z.ZodString;
            flags: z.ZodDefault<z.ZodString>;
        }, z.core.$strip>, z.ZodObject<{
            type: z.ZodLiteral<"json_schema">;
            weight: z.ZodDefault<z.ZodNumber>;
            schema: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>>;
        }, z.core.$strip>], "type">>>;
    }, z.core.$strip>>, unknown>>;
    teacher_model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    judge_model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    student_model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    module_type: z.ZodDefault<z.ZodEnum<{
        predict: "predict";
        chain_of_thought: "chain_of_thought";
    }>>;
    demonstrations: z.ZodDefault<z.ZodNullable<z.ZodUnion<readonly [z.ZodLiteral<false>, z.ZodObject<{
        max: z.ZodNumber;
    }, z.core.$strict>]>>>;
    cost_budget: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    github_repo: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    github_base_branch: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    prompt_path: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    prompt_format: z.ZodDefault<z.ZodNullable<z.ZodEnum<{
        text: "text";
        markdown: "markdown";
        json: "json";
        yaml: "yaml";
        python: "python";
        typescript: "typescript";
    }>>>;
    model_prices: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodObject<{
        input_per_mtok: z.ZodNumber;
        output_per_mtok: z.ZodNumber;
    }, z.core.$strip>>>>;
    canary: z.ZodDefault<z.ZodNullable<z.ZodObject<{
        share: z.ZodDefault<z.ZodNumber>;
        min_samples: z.ZodDefault<z.ZodNumber>;
        max_loss: z.ZodDefault<z.ZodNumber>;
        promote: z.ZodDefault<z.ZodEnum<{
            manual: "manual";
            auto: "auto";
        }>>;
    }, z.core.$strip>>>;
}, z.core.$strip>;
export type TaskConfig = z.infer<typeof TaskConfig>;
export type TaskConfigInput = z.input<typeof TaskConfig>;
