/** Defaults applied where a task leaves a field unset, in one place for every surface. */
export declare const DEFAULT_MODELS: {
    readonly teacher: "gpt-4o";
    readonly judge: "gpt-4o-mini";
    readonly student: "gpt-4o-mini";
};
/** The models of a task, with the defaults filled in. */
export declare function modelsOf(config: {
    teacher_model: string | null;
    judge_model: string | null;
    student_model: string | null;
}): {
    teacher: string;
    judge: string;
    student: string;
};
/**
 * Demonstrations a prompt holds at most: DSPy's default for labelled demonstrations
 * (`max_labeled_demos` 16), enough to show one case of each kind in a task with a dozen labels.
 * The section's length, not this count, is the usual limit (MAX_DEMO_SECTION_CHARS). A task
 * file's `demonstrations: { max: N }` lowers it.
 */
export declare const MAX_DEMOS = 16;
