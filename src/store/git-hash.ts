/** Git's object ids, computed locally: sha1 of `<type> <byte length>\0<content>`. */
import { createHash } from "node:crypto";

export function gitObjectSha(type: string, content: Buffer): string {
  return createHash("sha1").update(`${type} ${content.length}\0`).update(content).digest("hex");
}

export function gitBlobSha(text: string): string {
  return gitObjectSha("blob", Buffer.from(text, "utf8"));
}
