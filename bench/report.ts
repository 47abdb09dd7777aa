/** How every bench prints: one `name: value` line per figure, so people and scripts read them alike. */

export function figure(name: string, value: number | string, unit = ""): void {
  const shown =
    typeof value === "number"
      ? Number.isInteger(value)
        ? String(value)
        : value.toFixed(value < 10 ? 3 : 1)
      : value;
  console.log(`${name}: ${shown}${unit ? ` ${unit}` : ""}`);
}

/** Progress goes to stderr so that stdout holds only the figures. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Samples the resident set size while `work` runs; returns the peak in MiB. */
export async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** A numeric `--name value` flag of a bench, or `fallback`. */
export function numberFlag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
}

/** The `q` quantile of `values` (nearest rank). */
export const quantile = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? 0;
