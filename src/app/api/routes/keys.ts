/**
 * /keys: create and revoke API keys. Authenticated not by an API key but by a person's GitHub
 * token (`Authorization: Bearer …`) with admin rights on the repository, checked with GitHub;
 * `kaizen serve` accepts its own admin key there instead.
 */
import { z } from "zod";
import { looksLikeId } from "../../../core/ids.js";
import { createApiKey } from "../../auth/api-keys.js";
import type { RepoContext } from "../../repo-context.js";
import type { Router } from "../router.js";
import { HttpError } from "../http.js";
import { parseWith } from "../validation.js";

/** Decides whether a bearer token may manage keys of a repository. */
export interface AdminChecker {
  /**
   * @returns the repository and the person's login
   * @throws HttpError 401 (no or bad token) or 404 (not an admin there: existence is not revealed)
   */
  check(bearer: string | null, repoFullName: string | null): Promise<{ repo: RepoContext; login: string }>;
}

const CreateKey = z.object({
  repo: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, "must be owner/name")
    .optional(),
});

function bearerOf(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)$/i.exec(value ?? "");
  return match ? match[1]! : null;
}

export function registerKeyRoutes(
  router: Router<null>,
  admin: AdminChecker,
  invalidateKey: (keyId: string) => void,
): void {
  router.add("POST", "/api/v1/keys", async (req) => {
    const input = parseWith(CreateKey, (await req.json()) ?? {});
    const { repo, login } = await admin.check(bearerOf(req.headers.authorization), input.repo ?? null);
    const { key, record } = createApiKey(repo.repoKey, repo.fullName, login);
    await repo.store.putKey(record);
    return {
      status: 201,
      body: { ...record, hash: undefined, key, detail: "store this key now: it is shown only once" },
    };
  });

  router.add("DELETE", "/api/v1/keys/{key_id}", async (req) => {
    const keyId = req.params.key_id!;
    // A key id is a UUID and nothing else: `revoked/<id>` once reached a revocation's tombstone.
    if (!looksLikeId(keyId))
      throw new HttpError(422, [
        {
          loc: ["path", "key_id"],
          msg: `must be a key id (a UUID), got ${JSON.stringify(keyId)}`,
          type: "uuid_parsing",
        },
      ]);
    const { repo } = await admin.check(bearerOf(req.headers.authorization), req.query.get("repo"));
    if (!(await repo.store.deleteKey(keyId))) throw new HttpError(404, `key ${keyId} not found`);
    invalidateKey(keyId);
    return { status: 204 };
  });
}
