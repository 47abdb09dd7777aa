/** A unified line diff of two prompts, for the report a reviewer reads. */

/** @example unifiedDiff("a\nb\n", "a\nc\n") // "-b\n+c" among context lines */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // Longest common subsequence table; prompts are short, so the quadratic table is fine.
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const lines: { tag: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ tag: " ", text: a[i++]! });
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) lines.push({ tag: "+", text: b[j++]! });
    else lines.push({ tag: "-", text: a[i++]! });
  }
  const keep = lines.map((line, k) => line.tag !== " " || lines.slice(Math.max(0, k - context), k + context + 1).some((l) => l.tag !== " "));
  const out: string[] = [];
  lines.forEach((line, k) => {
    if (keep[k]) out.push(`${line.tag}${line.text}`);
    else if (keep[k - 1]) out.push("…");
  });
  return out.join("\n");
}
