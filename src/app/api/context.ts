/** What a handler of an authenticated route gets: the repository its key opens. */
import type { ApiKeyRecord } from "../../core/records.js";
import type { RepoContext } from "../repo-context.js";
import type { Router } from "./router.js";

export interface Authenticated {
  repo: RepoContext;
  key: ApiKeyRecord;
}

export type ApiRouter = Router<Authenticated>;

/** Body size limits: a single record, and a batch. */
export const BODY_LIMIT = 1024 * 1024;
export const BATCH_BODY_LIMIT = 10 * 1024 * 1024;
