/** A unified line diff of two prompts, for the report a reviewer reads. */

/** @example unifiedDiff("a\nb\n", "a\nc\n") // "--- a/prompt\n+++ b/prompt\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n " */
export function unifiedDiff(
  before: string,
  after: string,
  context = 3,
  names = { before: "a/prompt", after: "b/prompt" },
): string {
  const a = before.split("\n");
  const b = after.split("\n");
  // Longest common subsequence table; prompts are short, so the quadratic table is fine.
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const lines: { tag: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ tag: " ", text: a[i++]! });
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      lines.push({ tag: "-", text: a[i++]! });
    else lines.push({ tag: "+", text: b[j++]! });
  }
  const keep = lines.map(
    (line, k) =>
      line.tag !== " " || lines.slice(Math.max(0, k - context), k + context + 1).some((l) => l.tag !== " "),
  );
  // Hunks with @@ headers that count old and new lines, so `git apply` and `patch` take the diff.
  const out: string[] = [`--- ${names.before}`, `+++ ${names.after}`];
  let oldLine = 1;
  let newLine = 1;
  for (let k = 0; k < lines.length;) {
    if (!keep[k]) {
      if (lines[k]!.tag !== "+") oldLine++;
      if (lines[k]!.tag !== "-") newLine++;
      k++;
      continue;
    }
    const start = k;
    while (k < lines.length && keep[k]) k++;
    const hunk = lines.slice(start, k);
    const oldCount = hunk.filter((l) => l.tag !== "+").length;
    const newCount = hunk.filter((l) => l.tag !== "-").length;
    out.push(
      `@@ -${oldLine},${oldCount} +${newLine},${newCount} @@`,
      ...hunk.map((l) => `${l.tag}${l.text}`),
    );
    oldLine += oldCount;
    newLine += newCount;
  }
  return out.join("\n");
}
