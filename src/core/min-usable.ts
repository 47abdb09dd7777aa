/**
 * Below this many usable records (a score and the inputs to run the prompt on) a job reports
 * and does not search: Kaizen's policy. At 30, 20% held out is 6, and 6 wins of 6 pass the sign
 * test at 0.025 (two finalists), so every job that runs can ship (docs/decisions.md). In core,
 * because the task file's checks warn about settings that keep a task below it.
 */
export const MIN_USABLE = 30;
