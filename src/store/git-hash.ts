/** Git's object id of a blob, computed locally: sha1 of `blob <byte length>\0<content>`. */
import { createHash } from "node:crypto";

export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
