/** Defaults applied where a task leaves a field unset, in one place for every surface. */
export const DEFAULT_MODELS = {
  teacher: "gpt-4o",
  judge: "gpt-4o-mini",
  student: "gpt-4o-mini",
} as const;

/** The models of a task, with the defaults filled in. */
export function modelsOf(config: {
  teacher_model: string | null;
  judge_model: string | null;
  student_model: string | null;
}) {
  return {
    teacher: config.teacher_model ?? DEFAULT_MODELS.teacher,
    judge: config.judge_model ?? DEFAULT_MODELS.judge,
    student: config.student_model ?? DEFAULT_MODELS.student,
  };
}

/**
 * Demonstrations a prompt holds at most: DSPy's default for labelled demonstrations
 * (`max_labeled_demos` 16), enough to show one case of each kind in a task with a dozen labels.
 * The section's length, not this count, is the usual limit (MAX_DEMO_SECTION_CHARS). A task
 * file's `demonstrations: { max: N }` lowers it.
 */
export const MAX_DEMOS = 16;
