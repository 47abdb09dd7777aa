/**
 * Feedback and traces are append-only logs of JSONL segments. Each append writes a new segment,
 * so appending never rewrites (or even reads) the old ones; segment names sort by time, and the
 * entries of a task are the segments in name order, each in line order.
 */
import { randomBytes } from "node:crypto";

/**
 * A new segment name: the UTC time to the millisecond, then random hex so that two writers in
 * the same millisecond never collide.
 *
 * @example newSegmentName(new Date("2026-11-23T05:23:42.123Z")) // "20261123T052342123Z-9f3a01c2"
 */
export function newSegmentName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}

export function toJsonl(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + (records.length > 0 ? "\n" : "");
}

/** The non-empty lines of a segment. */
export function jsonlLines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}
