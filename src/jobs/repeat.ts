/**
 * Runs `beat` every `ms`, each wait starting when the previous beat has finished: with
 * setInterval, beats whose commits take longer than the interval (a loaded machine, a slow
 * GitHub) queue up ahead of the run's own stage writes and starve them.
 * @returns a function that stops the beats
 */
export function repeatAfterEach(ms: number, beat: () => Promise<void>): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void beat().finally(schedule), ms);
    timer.unref();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
