/** A small RFC 4180 reader: quoted fields with commas, quotes ("") and newlines inside. */

/** Splits CSV text into rows of fields, each row with the line it starts on. */
export function* csvRows(text: string): Generator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.some((f) => f !== "")) yield { line: rowLine, fields };
      fields = [];
      field = "";
      line++;
      rowLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.some((f) => f !== "")) yield { line: rowLine, fields };
}
