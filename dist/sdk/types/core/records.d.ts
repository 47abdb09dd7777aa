/**
 * The records of Kaizen's wire contract, one zod schema each. Field names follow the seeds
 * (snake_case). Reading is lenient (unknown fields are dropped, as the seeds promise: a newer
 * server never breaks an older client); writing goes through the same schemas, so a field is
 * added in exactly one place.
 */
import { z } from "zod";
/** Any 8-4-4-4-12 hex id. Lenient on purpose: the seeds' examples are not all RFC 9562 ids. */
export declare const Id: z.ZodGUID;
/** Timestamps travel as ISO 8601 strings in UTC, as the seeds' examples show. */
export declare const Timestamp: z.ZodISODateTime;
export declare const Score: z.ZodNumber;
export declare const JOB_STATUSES: readonly ["PENDING", "RUNNING", "EVALUATING", "COMPILING", "SUCCESS", "FAILED", "PR_FAILED"];
/** `FAILURE` is what the seeds' Python clients call `FAILED`; it is read as a synonym. */
export declare const JobStatus: z.ZodPreprocess<z.ZodEnum<{
    PENDING: "PENDING";
    RUNNING: "RUNNING";
    EVALUATING: "EVALUATING";
    COMPILING: "COMPILING";
    SUCCESS: "SUCCESS";
    FAILED: "FAILED";
    PR_FAILED: "PR_FAILED";
}>, unknown>;
export type JobStatus = (typeof JOB_STATUSES)[number];
export declare const TRIGGERS: readonly ["auto_threshold", "api_on_demand", "schedule", "manual"];
export declare const TriggeredBy: z.ZodEnum<{
    manual: "manual";
    auto_threshold: "auto_threshold";
    api_on_demand: "api_on_demand";
    schedule: "schedule";
}>;
export type TriggeredBy = z.infer<typeof TriggeredBy>;
export declare const PROMPT_STATUSES: readonly ["active", "candidate", "archived"];
export declare const PromptStatus: z.ZodEnum<{
    active: "active";
    candidate: "candidate";
    archived: "archived";
}>;
/** A task as the API shows it: its configuration plus what Kaizen derived from its data. */
export declare const Task: z.ZodObject<{
    created_at: z.ZodISODateTime;
    feedback_count: z.ZodDefault<z.ZodNumber>;
    last_optimization: z.ZodDefault<z.ZodNullable<z.ZodISODateTime>>;
    active_prompt_score: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    threshold_progress: z.ZodDefault<z.ZodString>;
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
    id: z.ZodGUID;
}, z.core.$strip>;
export type Task = z.infer<typeof Task>;
/**
 * What a client sends to create a task: its configuration, and either its prompt or the names
 * of its inputs, from which (with the description) the baseline prompt is made. Without a
 * `prompt_path` the prompt lives in `prompts/<name>.md`.
 */
export declare const CreateTaskInput: z.ZodObject<{
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
    prompt: z.ZodOptional<z.ZodString>;
    inputs: z.ZodOptional<z.ZodArray<z.ZodString>>;
}, z.core.$strip>;
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;
/** What a client sends to log feedback; `id` is optional and makes a retry harmless. */
export declare const FeedbackInput: z.ZodObject<{
    id: z.ZodOptional<z.ZodGUID>;
    task_id: z.ZodString;
    inputs: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    output: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    score: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    source: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    metadata: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    prompt_version_id: z.ZodDefault<z.ZodNullable<z.ZodGUID>>;
}, z.core.$strip>;
export type FeedbackInput = z.input<typeof FeedbackInput>;
export declare const FeedbackResult: z.ZodObject<{
    id: z.ZodGUID;
    task_id: z.ZodGUID;
    inputs: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    output: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    score: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    source: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    metadata: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    prompt_version_id: z.ZodOptional<z.ZodNullable<z.ZodGUID>>;
    created_at: z.ZodISODateTime;
}, z.core.$strip>;
export type FeedbackResult = z.infer<typeof FeedbackResult>;
export declare const PromptVersion: z.ZodObject<{
    id: z.ZodGUID;
    task_id: z.ZodGUID;
    version_number: z.ZodNumber;
    prompt_text: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    eval_score: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    status: z.ZodEnum<{
        active: "active";
        candidate: "candidate";
        archived: "archived";
    }>;
    optimizer: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    dspy_version: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    created_at: z.ZodISODateTime;
    job_id: z.ZodDefault<z.ZodNullable<z.ZodGUID>>;
}, z.core.$strip>;
export type PromptVersion = z.infer<typeof PromptVersion>;
export declare const Job: z.ZodObject<{
    id: z.ZodGUID;
    task_id: z.ZodGUID;
    prompt_version_id: z.ZodDefault<z.ZodNullable<z.ZodGUID>>;
    status: z.ZodPreprocess<z.ZodEnum<{
        PENDING: "PENDING";
        RUNNING: "RUNNING";
        EVALUATING: "EVALUATING";
        COMPILING: "COMPILING";
        SUCCESS: "SUCCESS";
        FAILED: "FAILED";
        PR_FAILED: "PR_FAILED";
    }>, unknown>;
    triggered_by: z.ZodDefault<z.ZodNullable<z.ZodEnum<{
        manual: "manual";
        auto_threshold: "auto_threshold";
        api_on_demand: "api_on_demand";
        schedule: "schedule";
    }>>>;
    feedback_count: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    pr_url: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    error_message: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    job_metadata: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
    progress_step: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    started_at: z.ZodDefault<z.ZodNullable<z.ZodISODateTime>>;
    completed_at: z.ZodDefault<z.ZodNullable<z.ZodISODateTime>>;
    created_at: z.ZodISODateTime;
}, z.core.$strip>;
export type Job = z.infer<typeof Job>;
export declare const CostEstimate: z.ZodObject<{
    estimated_cost_usd: z.ZodNumber;
    estimated_llm_calls: z.ZodNumber;
    train_size: z.ZodNumber;
    val_size: z.ZodNumber;
    max_trials: z.ZodNumber;
    teacher_model: z.ZodString;
    judge_model: z.ZodString;
}, z.core.$strip>;
export type CostEstimate = z.infer<typeof CostEstimate>;
export declare const OptimizeResult: z.ZodObject<{
    job: z.ZodObject<{
        id: z.ZodGUID;
        task_id: z.ZodGUID;
        prompt_version_id: z.ZodDefault<z.ZodNullable<z.ZodGUID>>;
        status: z.ZodPreprocess<z.ZodEnum<{
            PENDING: "PENDING";
            RUNNING: "RUNNING";
            EVALUATING: "EVALUATING";
            COMPILING: "COMPILING";
            SUCCESS: "SUCCESS";
            FAILED: "FAILED";
            PR_FAILED: "PR_FAILED";
        }>, unknown>;
        triggered_by: z.ZodDefault<z.ZodNullable<z.ZodEnum<{
            manual: "manual";
            auto_threshold: "auto_threshold";
            api_on_demand: "api_on_demand";
            schedule: "schedule";
        }>>>;
        feedback_count: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
        pr_url: z.ZodDefault<z.ZodNullable<z.ZodString>>;
        error_message: z.ZodDefault<z.ZodNullable<z.ZodString>>;
        job_metadata: z.ZodDefault<z.ZodNullable<z.ZodRecord<z.ZodString, z.ZodUnknown>>>;
        progress_step: z.ZodDefault<z.ZodNullable<z.ZodString>>;
        started_at: z.ZodDefault<z.ZodNullable<z.ZodISODateTime>>;
        completed_at: z.ZodDefault<z.ZodNullable<z.ZodISODateTime>>;
        created_at: z.ZodISODateTime;
    }, z.core.$strip>;
    cost_estimate: z.ZodObject<{
        estimated_cost_usd: z.ZodNumber;
        estimated_llm_calls: z.ZodNumber;
        train_size: z.ZodNumber;
        val_size: z.ZodNumber;
        max_trials: z.ZodNumber;
        teacher_model: z.ZodString;
        judge_model: z.ZodString;
    }, z.core.$strip>;
    budget_warning: z.ZodDefault<z.ZodNullable<z.ZodString>>;
}, z.core.$strip>;
export type OptimizeResult = z.infer<typeof OptimizeResult>;
export declare const TraceResult: z.ZodObject<{
    id: z.ZodGUID;
    task_id: z.ZodGUID;
    prompt_text: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    response_text: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    tokens: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    latency_ms: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    source_file: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    source_line: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    source_variable: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    score: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    scored_by: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    prompt_version_id: z.ZodOptional<z.ZodNullable<z.ZodGUID>>;
    created_at: z.ZodISODateTime;
}, z.core.$strip>;
export type TraceResult = z.infer<typeof TraceResult>;
/** A trace as a client sends it: the server sets its id (unless given), time and score. */
export declare const TraceInput: z.ZodObject<{
    prompt_version_id: z.ZodOptional<z.ZodNullable<z.ZodGUID>>;
    prompt_text: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    response_text: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    model: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    tokens: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    latency_ms: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    source_file: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    source_line: z.ZodDefault<z.ZodNullable<z.ZodNumber>>;
    source_variable: z.ZodDefault<z.ZodNullable<z.ZodString>>;
    id: z.ZodOptional<z.ZodGUID>;
    task_id: z.ZodString;
}, z.core.$strip>;
/** An API key as stored: only a hash of the secret is kept; the secret is shown once. */
export declare const ApiKeyRecord: z.ZodObject<{
    id: z.ZodGUID;
    repo: z.ZodString;
    prefix: z.ZodString;
    hash: z.ZodString;
    created_at: z.ZodISODateTime;
    created_by: z.ZodDefault<z.ZodNullable<z.ZodString>>;
}, z.core.$strip>;
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;
